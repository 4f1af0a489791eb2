"""Conflicts between two reports and inconsistencies inside one.

A conflict needs evidence that both reports talk about the same fact and give it
differently; a fact one report simply does not mention is never a conflict.

- name / place spelling: a name in A that B never writes, whose close variant B does write
  ("Las Cruses" vs "Las Cruces"); places resolve through the gazetteer, so a translation
  ("Múnich" / "München") is the same place, and inflections ("Trump" / "Trumpa") are not
  variants.
- number: aligned sentences give the same unit with different values ("70 miles" vs
  "90 miles"); units are language-independent ("40 millas" == "40 miles"); the age of one
  person anywhere in the reports.
- date: aligned sentences name different weekdays, days or years.
- place: aligned sentences put the fact in different places of the same kind, neither of
  which the other report mentions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..analyze import Analysis
from ..analyze.gazetteer import fold, lookup
from ..analyze.mentions import Mention
from .comparison import AlignedPair, Conflict, Inconsistency

_KIND_NAMES = {"name": "names", "place": "places", "number": "numbers", "date": "dates"}


@dataclass(frozen=True)
class _Token:
    """One word of a name or place mention."""

    word: str  # as written
    key: str  # folded
    mention: Mention


def _damerau_levenshtein(x: str, y: str, limit: int = 3) -> int:
    """Edit distance with transpositions (cut off at ``limit``)."""
    if abs(len(x) - len(y)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        current = [i] + [0] * len(y)
        for j, cy in enumerate(y, 1):
            cost = 0 if cx == cy else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and cx == y[j - 2] and x[i - 2] == cy:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
        if min(previous) >= limit:
            return limit
    return previous[-1]


def is_spelling_variant(x: str, y: str) -> bool:
    """True when two folded words look like one name spelled two ways.

    Words must be long enough to carry a name, differ by a small edit, start alike, and not
    differ only in their ending (an inflection such as "Polen" / "Polens", "Trump" / "Trumpa").
    """
    if x == y or min(len(x), len(y)) < 4 or x[0] != y[0]:
        return False
    limit = 1 if min(len(x), len(y)) < 6 else 2
    if _damerau_levenshtein(x, y, limit + 1) > limit:
        return False
    prefix = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        prefix += 1
    return prefix < min(len(x), len(y)) - 2


def _tokens(analysis: Analysis) -> list[_Token]:
    tokens = []
    for m in analysis.mentions:
        if m.kind in ("name", "place"):
            for word in m.text.split():
                key = fold(word)
                if len(key) >= 4 and word[:1].isupper():
                    tokens.append(_Token(word, key, m))
    return tokens


def _kind_of(first: Mention, second: Mention) -> str:
    return "place" if "place" in (first.kind, second.kind) else "name"


def _distinct_places(first: str, second: str) -> bool:
    """Both words are real, different places (not a misspelling of one)."""
    x, y = lookup(first), lookup(second)
    return bool(x and y and x[0].geonameid != y[0].geonameid)


def spelling_conflicts(a: Analysis, b: Analysis) -> list[Conflict]:
    """Names and places that A writes one way and B another."""
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    keys_a = {t.key for t in tokens_a}
    keys_b = {t.key for t in tokens_b}
    found: dict[tuple[str, str], Conflict] = {}
    for ta in tokens_a:
        for tb in tokens_b:
            pair = (ta.key, tb.key)
            if pair in found or not is_spelling_variant(ta.key, tb.key):
                continue
            # one side must write a form the other never does: otherwise nothing disagrees
            if ta.key in keys_b and tb.key in keys_a:
                continue
            if _distinct_places(ta.mention.text, tb.mention.text):
                continue
            kind = _kind_of(ta.mention, tb.mention)
            found[pair] = Conflict(
                kind=kind,
                a=ta.mention.text,
                b=tb.mention.text,
                a_sentence=ta.mention.sentence,
                b_sentence=tb.mention.sentence,
                reason=f"the same {kind} spelled two ways: {ta.word!r} vs {tb.word!r}",
            )
    return list(found.values())


def spelling_inconsistencies(analysis: Analysis, doc: str) -> list[Inconsistency]:
    """Names and places one report writes two ways ("Jarrott" and "Jarrett")."""
    tokens = _tokens(analysis)
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, _Token] = {}
    for t in tokens:
        counts[t.key] += 1
        first.setdefault(t.key, t)
    found: list[Inconsistency] = []
    keys = sorted(first, key=lambda k: first[k].mention.sentence)
    for index, x in enumerate(keys):
        for y in keys[index + 1 :]:
            if not is_spelling_variant(x, y) or _distinct_places(first[x].word, first[y].word):
                continue
            # the rarer form is the slip; show the common one first
            common, rare = (x, y) if counts[x] >= counts[y] else (y, x)
            tc, tr = first[common], first[rare]
            kind = _kind_of(tc.mention, tr.mention)
            # show the rare form in full, and the common form in a mention of the same shape
            shaped = [
                t for t in tokens
                if t.key == common and len(t.mention.text.split()) == len(tr.mention.text.split())
            ]  # fmt: skip
            tc = shaped[0] if shaped else tc
            found.append(
                Inconsistency(
                    doc=doc,
                    kind=kind,
                    values=(tc.mention.text, tr.mention.text),
                    sentences=(tc.mention.sentence, tr.mention.sentence),
                    reason=f"{tc.word!r} is written {tr.word!r} once",
                )
            )
    return found


def _by_sentence(analysis: Analysis, kind: str) -> dict[int, list[Mention]]:
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for m in analysis.mentions:
        if m.kind == kind:
            grouped[m.sentence].append(m)
    return grouped


def _ages(analysis: Analysis) -> dict[str, Mention]:
    """Age mentions written right after a name ("Jarrott, 28"), keyed by the folded surname."""
    ages: dict[str, Mention] = {}
    names = _by_sentence(analysis, "name")
    for m in analysis.mentions:
        if m.kind == "number" and m.unit == "age":
            before = [n for n in names.get(m.sentence, []) if n.end <= m.start and m.start - n.end <= 3]
            if before:
                ages.setdefault(fold(before[-1].text.split()[-1]), m)
    return ages


def fact_conflicts(
    a: Analysis, b: Analysis, alignment: Iterable[AlignedPair]
) -> list[Conflict]:
    """Numbers, dates and places that aligned sentences give differently, and ages of one person."""
    conflicts: list[Conflict] = []
    numbers_a, numbers_b = _by_sentence(a, "number"), _by_sentence(b, "number")
    dates_a, dates_b = _by_sentence(a, "date"), _by_sentence(b, "date")
    places_a, places_b = _by_sentence(a, "place"), _by_sentence(b, "place")
    all_numbers_a = {m.value for m in a.mentions if m.kind == "number"}
    all_numbers_b = {m.value for m in b.mentions if m.kind == "number"}
    all_places_a = {m.value for m in a.mentions if m.kind == "place"}
    all_places_b = {m.value for m in b.mentions if m.kind == "place"}
    seen: set[tuple[str, str, str]] = set()

    def add(kind: str, ma: Mention, mb: Mention, reason: str) -> None:
        key = (kind, ma.value, mb.value)
        if key not in seen:
            seen.add(key)
            conflicts.append(Conflict(kind=kind, a=ma.text, b=mb.text, a_sentence=ma.sentence,
                                      b_sentence=mb.sentence, reason=reason))  # fmt: skip

    for pair in alignment:
        for ma in numbers_a.get(pair.a, []):
            if not ma.unit or ma.unit == "age" or ma.value in all_numbers_b:
                continue
            for mb in numbers_b.get(pair.b, []):
                if mb.unit == ma.unit and mb.value not in all_numbers_a:
                    add("number", ma, mb, f"aligned sentences give different {ma.unit} figures")
        for granularity in ("weekday", "day", "year"):
            da = [m for m in dates_a.get(pair.a, []) if _granularity(m.value) == granularity]
            db = [m for m in dates_b.get(pair.b, []) if _granularity(m.value) == granularity]
            if da and db and not {m.value for m in da} & {m.value for m in db}:
                if granularity == "day" and not _same_year_or_unknown(da[0].value, db[0].value):
                    continue
                add("date", da[0], db[0], f"aligned sentences give a different {granularity}")
        pa = [m for m in places_a.get(pair.a, []) if m.value not in all_places_b]
        pb = [m for m in places_b.get(pair.b, []) if m.value not in all_places_a]
        if pa and pb and not {m.value for m in places_a.get(pair.a, [])} & {
            m.value for m in places_b.get(pair.b, [])
        }:
            kinds_a = {p.kind for m in pa for p in lookup(m.text)[:1]}
            for mb in pb:
                if any(p.kind in kinds_a for p in lookup(mb.text)[:1]):
                    add("place", pa[0], mb, "aligned sentences put the fact in different places")
                    break

    ages_a, ages_b = _ages(a), _ages(b)
    for surname, ma in ages_a.items():
        mb = ages_b.get(surname)
        if mb is not None and mb.value != ma.value:
            add("number", ma, mb, f"different ages for {surname.title()}")
    return conflicts


def _granularity(value: str) -> str:
    if value.startswith("weekday:"):
        return "weekday"
    if len(value) == 10:
        return "day"
    if len(value) == 4:
        return "year"
    return "month"


def _same_year_or_unknown(x: str, y: str) -> bool:
    return x[:4] == y[:4] or "----" in (x[:4], y[:4])


def find_conflicts(
    a: Analysis, b: Analysis, alignment: Iterable[AlignedPair]
) -> tuple[list[Conflict], list[Inconsistency]]:
    """Conflicts between A and B, and inconsistencies inside each."""
    conflicts = spelling_conflicts(a, b) + fact_conflicts(a, b, alignment)
    inconsistencies = spelling_inconsistencies(a, "a") + spelling_inconsistencies(b, "b")
    return conflicts, inconsistencies
