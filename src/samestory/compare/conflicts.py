"""Conflicts between two reports and inconsistencies inside one.

A conflict needs evidence that both reports talk about the same fact and give it
differently; a fact one report simply does not mention is never a conflict. Facts are
compared inside aligned groups (sentences the alignment links, a split or merge being one
group), each side's mentions as a multiset, so only what one side gives *instead of*
something the other side gives can conflict; what a side adds cannot.

- name / place spelling: a name in A that B never writes, whose close variant B does write
  ("Las Cruses" vs "Las Cruces"); places resolve through the gazetteer, so a translation
  ("Múnich" / "München") is the same place, and inflections ("Trump" / "Trumpa") are not
  variants.
- name: a multi-word name that the aligned sentence of B gives with one word replaced
  ("Christophe Castaner" / "Christophe Dupuis"), or a known surname swapped for another.
- number: the same unit with different values ("70 miles" vs "90 miles"); units are
  language-independent ("40 millas" == "40 miles"); a bare count only in near-identical
  sentences; the age of one person anywhere in the reports.
- date: the most specific level both sides state (full date, day of month, weekday, month,
  year) differs, weekdays and year-less days resolved against ``Article.published``.
- place: two places neither report shares, of the same kind or in different countries.

Within one report, names spelled two ways and two ages of one person are inconsistencies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass

from ..analyze import Analysis
from ..analyze.gazetteer import fold, lookup
from ..analyze.mentions import Mention, is_date_word, lowercase_vocabulary, trimmed_span
from .comparison import AlignedPair, Conflict, Inconsistency, Span

# Words that begin place names ("Las Cruces", "El Paso", "Le Mans"), not given names.
_ARTICLES = {"la", "las", "el", "los", "le", "les", "der", "die", "das", "the", "san", "santa",
             "saint", "st", "sankt", "new", "fort", "port", "bad"}  # fmt: skip

_KIND_NAMES = {"name": "names", "place": "places", "number": "numbers", "date": "dates"}

# An English contraction ("We've", "They're", "Don't", "It's"), capitalised at a sentence
# start and taken for a name: not a name word. "'s", "'d" and "'m" count only after a pronoun:
# a possessive ends names ("Lengyel's"), and "Sa'd" is a name.
_CONTRACTION = re.compile(
    r"\w+['’](?:ve|re|ll)|\w+n['’]t|i['’]m"
    r"|(?:i|you|he|she|it|we|they|who|that|there|here|what|where|how|let)['’][sd]",
    re.IGNORECASE,
)


def _is_contraction(word: str) -> bool:
    """A word such as "We've" or "Don't" (straight or curly apostrophe)."""
    return _CONTRACTION.fullmatch(word.strip('.,;:!?"“”«»()')) is not None


def _times(count: int) -> str:
    """ "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


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
    # two edits only in long words: "Betrug" / "Beirut" are two words, not one misspelt
    limit = 1 if min(len(x), len(y)) < 9 else 2
    if _damerau_levenshtein(x, y, limit + 1) > limit:
        return False
    short, long = sorted((x, y), key=len)
    if long == short + short[-1]:
        return True  # a doubled last letter lost or added ("Maxwel" / "Maxwell"): no ending
    prefix = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        prefix += 1
    # one letter replaced before the last ("Tayyip" / "Tayyop") is a spelling, not an ending
    replaced = len(x) == len(y) and sum(cx != cy for cx, cy in zip(x, y, strict=True)) == 1
    return prefix < min(len(x), len(y)) - (1 if replaced else 2)


def _tokens(analysis: Analysis, common: set[str] | None = None) -> list[_Token]:
    """Capitalised words of names and places, minus ``common`` words (written in lower case)
    and contractions ("We've")."""
    tokens = []
    for m in analysis.mentions:
        if m.kind in ("name", "place"):
            for word in m.text.split():
                key = fold(word)
                if (len(key) >= 4 and word[:1].isupper() and not is_date_word(word)
                        and key not in (common or ()) and not _is_contraction(word)):  # fmt: skip
                    tokens.append(_Token(word, key, m))
    return tokens


def mention_span(analysis: Analysis, mention: Mention) -> Span:
    """Where a mention stands in its sentence (``analysis.sentences[mention.sentence]``)."""
    return trimmed_span(mention, analysis.sentences[mention.sentence])


def _kind_of(first: Mention, second: Mention) -> str:
    return "place" if "place" in (first.kind, second.kind) else "name"


def _both_places(first: str, second: str) -> bool:
    """Both words are real places: two places, or one place in two accepted spellings.

    "Bagdad" / "Baghdad" are names of one place in the gazetteer; "Las Cruses" is not a
    name of any place, so it stays a misspelling of "Las Cruces".
    """
    x, y = lookup(first), lookup(second)
    return bool(x and y)


def _is_surname(token: _Token) -> bool:
    """The last word of a person's full name ("Bick" in "Randy Bick", not in "Las Cruses")."""
    return _role(token) == "surname"


def _role(token: _Token) -> str:
    """Where the word stands in a person's name: "surname" (the last of two or more words),
    "given" (one before it: "Rebecca", or "Marton" in "Reporter Marton Fulop", whose title
    opened the sentence), "alone" (a name of one word) or "other"."""
    words = token.mention.text.split()
    if token.mention.kind != "name" or fold(words[0]) in _ARTICLES:
        return "other"
    if len(words) == 1:
        return "alone"
    return "surname" if words[-1] == token.word else "given"


def _given_name_and_surname(first: _Token, second: _Token) -> bool:
    """A given name and a surname (or a name standing alone, most often a surname) are two
    names: "Gary Neville" / "Gray", "Rebecca Marston" / "Marton Fulop"."""
    roles = {_role(first), _role(second)}
    return "given" in roles and bool(roles & {"surname", "alone"})


def _place_and_person(first: _Token, second: _Token) -> bool:
    """A real place and a person's surname ("Brick" / "Randy Bick") are two things."""
    return bool(
        (first.mention.kind == "place" and _is_surname(second))
        or (second.mention.kind == "place" and _is_surname(first))
    )


def spelling_conflicts(a: Analysis, b: Analysis) -> list[Conflict]:
    """Names and places that A writes one way and B another, in reports of one language.

    Across languages names are spelled by each language's convention ("Baghdad" / "Bagdad",
    "National" / "Nacional"); a word either report writes in lower case ("Otro" / "otro") is
    a common word capitalised at a sentence start, not a name.
    """
    if a.lang != b.lang:
        return []
    common = lowercase_vocabulary(a.article.full_text) | lowercase_vocabulary(b.article.full_text)
    tokens_a, tokens_b = _tokens(a, common), _tokens(b, common)
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
            # a report that writes both forms knows both words: a slip of one letter ("Las
            # Cruses" beside its "Las Cruces") is still a slip, two edits are two words (A's
            # "Confédération" and "Confoederatio" beside B's "Confoederatio" alone)
            if (ta.key in keys_b or tb.key in keys_a) and _damerau_levenshtein(
                ta.key, tb.key, 2
            ) > 1:
                continue
            if _both_places(ta.mention.text, tb.mention.text) or _place_and_person(ta, tb):
                continue
            if _given_name_and_surname(ta, tb):
                continue
            kind = _kind_of(ta.mention, tb.mention)
            found[pair] = Conflict(
                kind=kind,
                a=ta.mention.text,
                b=tb.mention.text,
                a_sentence=ta.mention.sentence,
                b_sentence=tb.mention.sentence,
                reason=f"the same {kind} spelled two ways: {ta.word!r} vs {tb.word!r}",
                a_span=mention_span(a, ta.mention),
                b_span=mention_span(b, tb.mention),
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
            if not is_spelling_variant(x, y) or _both_places(first[x].word, first[y].word):
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
                    reason=f"{tc.word!r} is written {tr.word!r} {_times(counts[rare])}",
                    spans=(mention_span(analysis, tc.mention), mention_span(analysis, tr.mention)),
                )
            )
    return found


def _by_sentence(analysis: Analysis, kind: str) -> dict[int, list[Mention]]:
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for m in analysis.mentions:
        if m.kind == kind:
            grouped[m.sentence].append(m)
    return grouped


def _ages(analysis: Analysis) -> dict[str, list[Mention]]:
    """Age mentions written right after a name ("Jarrott, 28"), keyed by the folded surname."""
    ages: dict[str, list[Mention]] = defaultdict(list)
    names = _by_sentence(analysis, "name")
    for m in analysis.mentions:
        if m.kind == "number" and m.unit == "age":
            before = [n for n in names.get(m.sentence, [])
                      if n.end <= m.start and m.start - n.end <= 3 and not is_date_word(n.text.split()[-1])]  # fmt: skip
            if before:
                ages[fold(before[-1].text.split()[-1])].append(m)
    return ages


def aligned_groups(alignment: Iterable[AlignedPair]) -> list[tuple[list[int], list[int]]]:
    """Sentences of A and of B linked by the alignment (a split or merge makes one group)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for pair in alignment:
        parent[root(("a", pair.a))] = root(("b", pair.b))
    members: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in sorted(parent):
        side, index = node
        group = members.setdefault(root(node), ([], []))
        group[0 if side == "a" else 1].append(index)
    return list(members.values())


def _numbered_by_sentence(mentions: Sequence[Mention]) -> dict[int, list[tuple[int, Mention]]]:
    """Each sentence's mentions with their place in ``mentions`` (to keep their order)."""
    grouped: dict[int, list[tuple[int, Mention]]] = {}
    for k, m in enumerate(mentions):
        grouped.setdefault(m.sentence, []).append((k, m))
    return grouped


def _outside_dates(analysis: Analysis) -> list[Mention]:
    """Number mentions that are not the day of a date ("25" in "25 août")."""
    dates = _by_sentence(analysis, "date")
    return [
        m for m in analysis.mentions
        if m.kind == "number"
        and not any(d.start <= m.start < d.end for d in dates.get(m.sentence, ()))
    ]  # fmt: skip


def _unmatched(ours: list[Mention], theirs: list[Mention]) -> list[Mention]:
    """Our mentions whose value the other side does not give (as a multiset: "10 ... 10" vs "10")."""
    return _unmatched_values([(m, m.value) for m in ours], [(m, m.value) for m in theirs])


def _unmatched_values(
    ours: list[tuple[Mention, str]], theirs: list[tuple[Mention, str]]
) -> list[Mention]:
    """Our mentions left once each value the other side gives has matched one of ours.

    A mention written exactly as on the other side matches first, so of "cinco ... 5" against
    "cinco ... 4" the "5" is the one left over, not "cinco".
    """
    exact = Counter((v, fold(m.text)) for m, v in theirs)
    left = Counter(v for _, v in theirs)
    matched: set[int] = set()
    for k, (m, v) in enumerate(ours):
        if exact[(v, fold(m.text))] > 0:
            exact[(v, fold(m.text))] -= 1
            left[v] -= 1
            matched.add(k)
    out = []
    for k, (m, v) in enumerate(ours):
        if k in matched:
            continue
        if left[v] > 0:
            left[v] -= 1
        else:
            out.append(m)
    return out


# Weak evidence needs sentences that say nearly the same thing (edited versions of one
# sentence score > 0.9, sentences of two reports on one fact ~0.65-0.8): a bare count ("12"
# has no unit to tell what it counts: "Mate 30 Pro", "5 devices"), dates stated at different
# granularities, places of different kinds, a name differing in a word other than the last.
NEAR_IDENTICAL = 0.8


def _number_conflicts(
    group_a: list[Mention], group_b: list[Mention], closeness: float
) -> list[tuple[Mention, Mention]]:
    """Numbers with the same unit that aligned sentences give differently, paired in order.

    A bare count conflicts only when it is the one number each side leaves unmatched, in
    sentences at least NEAR_IDENTICAL alike.
    """
    only_a, only_b = _unmatched(group_a, group_b), _unmatched(group_b, group_a)
    pairs: list[tuple[Mention, Mention]] = []
    for unit in dict.fromkeys(m.unit for m in only_a):
        xs = [m for m in only_a if m.unit == unit]
        ys = [m for m in only_b if m.unit == unit]
        if not unit and (
            len(only_a) != 1 or len(only_b) != 1 or len(ys) != 1 or closeness < NEAR_IDENTICAL
        ):
            continue
        pairs.extend(zip(xs, ys, strict=False))
    return pairs


def date_components(value: str, published: dt.date | None) -> dict[str, str]:
    """Year, month, day and weekday a date value gives, completed from the publication date.

    A weekday alone is the last such day on or before publication; a day and month without
    a year take the publication year (the year before when that would put it in the future).
    """
    if value.startswith("weekday:"):
        weekday = int(value.split(":")[1])
        if published is None:
            return {"weekday": str(weekday)}
        day = published - dt.timedelta(days=(published.weekday() - weekday) % 7)
        return {"weekday": str(weekday), "date": day.isoformat()}
    parts = value.split("-")
    if value.startswith("----"):
        parts = ["", *value[5:].split("-")]
    components: dict[str, str] = {}
    year = parts[0]
    if len(parts) == 3:
        month, day_of_month = int(parts[1]), int(parts[2])
        if not year and published is not None:
            guess = published.year
            with suppress(ValueError):
                if dt.date(guess, month, day_of_month) > published + dt.timedelta(days=2):
                    guess -= 1
            year = str(guess)
        components["month"] = f"{month:02d}"
        components["day"] = f"{month:02d}-{day_of_month:02d}"
        if year:
            with suppress(ValueError):
                full = dt.date(int(year), month, day_of_month)
                components["date"] = full.isoformat()
                components["weekday"] = str(full.weekday())
    elif len(parts) == 2:
        components["month"] = parts[1]
    if year:
        components["year"] = year
    return components


# Most specific first. Agreeing on a full date settles every level; agreeing on a day of
# the month or a month does not settle the year.
_DATE_LEVELS = ("date", "day", "weekday", "month", "year")


def _granularity(value: str) -> str:
    if value.startswith("weekday:"):
        return "weekday"
    return ("year", "month", "day")[min(2, value.lstrip("-").count("-"))]


def _date_conflicts(
    group_a: list[Mention],
    group_b: list[Mention],
    published_a: dt.date | None,
    published_b: dt.date | None,
    closeness: float,
) -> list[tuple[Mention, Mention, str]]:
    """At most one conflict per aligned group: the most specific level both sides state.

    A level conflicts when each side gives a value there the other does not ("from 2018 to
    2019" vs "from 2018 to 2020"), so a date one side adds is not a conflict. Two dates
    written at different granularities ("September 2017" / "February 6, 2014") are often
    dates of two things; they conflict only in near-identical sentences.
    """
    parts_a = [(m, date_components(m.value, published_a)) for m in group_a]
    parts_b = [(m, date_components(m.value, published_b)) for m in group_b]
    for level in _DATE_LEVELS:
        xs = [(m, c[level]) for m, c in parts_a if level in c]
        ys = [(m, c[level]) for m, c in parts_b if level in c]
        if not xs or not ys:
            continue
        only_a, only_b = _unmatched_values(xs, ys), _unmatched_values(ys, xs)
        if only_a and only_b:
            alike = [(x, y) for x in only_a for y in only_b
                     if _granularity(x.value) == _granularity(y.value)]  # fmt: skip
            if alike:
                return [(*alike[0], level)]
            return [(only_a[0], only_b[0], level)] if closeness >= NEAR_IDENTICAL else []
        if level == "date" and not only_a and not only_b:
            return []
    return []


def _substitutions(
    group_a: list[Mention],
    group_b: list[Mention],
    tokens_a: set[str],
    tokens_b: set[str],
    same_language: bool,
    closeness: float,
) -> list[tuple[Mention, Mention, str, str]]:
    """Multi-word names and places of one shape that differ in one word.

    "Christophe Castaner" / "Christophe Fontaine", "Comunidad de Madrid" / "Comunidad de
    Córdoba": the same entity given another name, when neither word occurs anywhere in the
    other report (a translation or a second person would). Across languages only the last
    word counts: titles and common nouns before a name are translated ("Kanzlerin Angela
    Merkel" / "Chancellor Angela Merkel"), surnames are not; in one language another word
    counts in near-identical sentences only (German capitalises nouns: "Buchung von Truppen"
    / "Entsendung von Truppen").
    """
    found = []
    for ma in group_a:
        words_a = [fold(w) for w in ma.text.split()]
        if len(words_a) < 2:
            continue
        for mb in group_b:
            words_b = [fold(w) for w in mb.text.split()]
            if len(words_b) != len(words_a):
                continue
            differ = [k for k, (x, y) in enumerate(zip(words_a, words_b, strict=True)) if x != y]
            if len(differ) != 1:
                continue
            k = differ[0]
            if k != len(words_a) - 1 and (not same_language or closeness < NEAR_IDENTICAL):
                continue
            if words_a[k] in words_b[k] or words_b[k] in words_a[k]:
                continue  # "Bundestrainer" / "Ex-Bundestrainer": more detail
            if is_date_word(words_a[k]) or is_date_word(words_b[k]):
                continue  # "Am Freitag" / "Am Dienstag" is a date, found as one
            if (
                words_a[k] in tokens_b
                or words_b[k] in tokens_a
                or min(len(words_a[k]), len(words_b[k])) < 3
            ):
                continue
            found.append((ma, mb, ma.text.split()[k], mb.text.split()[k]))
    return found


_WORD = re.compile(r"\S+")


def _swapped_names(
    a: Analysis, b: Analysis, sentence_a: int, sentence_b: int,
    names_a: list[Mention], names_b: list[Mention],
) -> tuple[Mention, Mention] | None:  # fmt: skip
    """Two sentences that are word for word the same but for one name: "…, said Johnson" /
    "…, said Keir Starmer". The same statement is given to another person (or place); names
    of different shape, so the one-word substitution rule above does not see them."""
    import difflib

    spans_a = [m.span() for m in _WORD.finditer(a.sentences[sentence_a])]
    spans_b = [m.span() for m in _WORD.finditer(b.sentences[sentence_b])]
    words_a = [a.sentences[sentence_a][s:e] for s, e in spans_a]
    words_b = [b.sentences[sentence_b][s:e] for s, e in spans_b]
    changes = [
        op
        for op in difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if len(changes) != 1 or changes[0][0] != "replace":
        return None
    _, i1, i2, j1, j2 = changes[0]
    if i2 - i1 > 4 or j2 - j1 > 4 or len(words_a) < 6:
        return None

    def covering(
        names: list[Mention], spans: list[tuple[int, int]], lo: int, hi: int
    ) -> Mention | None:
        start, end = spans[lo][0], spans[hi - 1][1]
        for mention in names:
            if mention.start <= start + 1 and end - 1 <= mention.end:
                return mention
        return None

    ma = covering([m for m in names_a if m.sentence == sentence_a], spans_a, i1, i2)
    mb = covering([m for m in names_b if m.sentence == sentence_b], spans_b, j1, j2)
    if ma is None or mb is None:
        return None
    if {fold(w) for w in ma.text.split()} & {fold(w) for w in mb.text.split()}:
        return None  # "Boris Johnson" / "Johnson": more or less of one name
    return ma, mb


def _spelt_alike(ma: Mention, mb: Mention, reported: set[tuple[str, str]]) -> bool:
    """A word of one is a spelling of a word of the other (a conflict the spelling rule
    gives, or would give)."""
    return any(
        (fold(x), fold(y)) in reported or is_spelling_variant(fold(x), fold(y))
        for x in ma.text.split()
        for y in mb.text.split()
    )


def _position(analysis: Analysis, mention: Mention) -> float:
    """Where a mention stands in its sentence, 0 (start) .. 1 (end)."""
    return mention.start / max(1, len(analysis.sentences[mention.sentence]))


def _rival_places(first: Mention, second: Mention, closeness: float) -> bool:
    """Two places that cannot both be where one thing happened.

    Two cities (or two countries, two states); in near-identical sentences also places of
    different kinds in different countries. A city and the state or country it lies in
    ("El Paso" / "Texas") is more detail, not a conflict.
    """
    x, y = lookup(first.text)[:1], lookup(second.text)[:1]
    if not x or not y:
        return False
    return x[0].kind == y[0].kind or (x[0].country != y[0].country and closeness >= NEAR_IDENTICAL)


def _surnames(analysis: Analysis) -> set[str]:
    """Folded last words of the multi-word names of a report."""
    return {fold(m.text.split()[-1]) for m in analysis.mentions
            if m.kind == "name" and len(m.text.split()) > 1}  # fmt: skip


def _surname_swaps(
    group_a: list[Mention],
    group_b: list[Mention],
    known_a: set[str],
    known_b: set[str],
    tokens_a: set[str],
    tokens_b: set[str],
) -> list[tuple[Mention, Mention]]:
    """A surname alone ("Castaner said") that the other side gives as another known surname.

    Both must be surnames their own report gives in full somewhere ("Christophe Castaner"), and
    each the only such unmatched surname of its side in the aligned sentences.
    """
    xs = [m for m in group_a if " " not in m.text and fold(m.text) in known_a - tokens_b]
    ys = [m for m in group_b if " " not in m.text and fold(m.text) in known_b - tokens_a]
    if len({fold(m.text) for m in xs}) == 1 and len({fold(m.text) for m in ys}) == 1:
        return [(xs[0], ys[0])]
    return []


def fact_conflicts(
    a: Analysis,
    b: Analysis,
    alignment: Iterable[AlignedPair],
    reported_words: set[tuple[str, str]] | None = None,
) -> list[Conflict]:
    """Names, numbers, dates and places that aligned sentences give differently; ages of one person.

    Sentences linked by the alignment (with splits and merges, one group) are compared as a
    whole, so a fact moved into the other half of a split sentence is not a conflict.
    ``reported_words``: folded word pairs already reported as spellings, not repeated.
    """
    conflicts: list[Conflict] = []
    seen: set[tuple[str, str, str]] = {("word", x, y) for x, y in reported_words or ()}

    def add(
        kind: str, ma: Mention, mb: Mention, reason: str, key: tuple[str, str, str] | None = None
    ) -> None:
        key = key or (kind, fold(ma.text), fold(mb.text))
        if key not in seen:
            seen.add(key)
            conflicts.append(Conflict(kind=kind, a=ma.text, b=mb.text, a_sentence=ma.sentence,
                                      b_sentence=mb.sentence, reason=reason,
                                      a_span=mention_span(a, ma), b_span=mention_span(b, mb)))  # fmt: skip

    numbers_a, numbers_b = _outside_dates(a), _outside_dates(b)
    all_places_a = {m.value for m in a.mentions if m.kind == "place"}
    all_places_b = {m.value for m in b.mentions if m.kind == "place"}
    tokens_a = {fold(w) for m in a.mentions if m.kind in ("name", "place") for w in m.text.split()}
    tokens_b = {fold(w) for m in b.mentions if m.kind in ("name", "place") for w in m.text.split()}
    published_a, published_b = a.article.published, b.article.published
    surnames_a, surnames_b = _surnames(a), _surnames(b)
    alignment = list(alignment)
    closest: dict[int, float] = {}  # per sentence of A, its most similar aligned partner
    for pair in alignment:
        closest[pair.a] = max(closest.get(pair.a, pair.similarity), pair.similarity)
    # mentions indexed by sentence once, not scanned whole for every aligned group
    in_sentences_a, in_sentences_b = (
        _numbered_by_sentence(a.mentions),
        _numbered_by_sentence(b.mentions),
    )
    figures_a, figures_b = _numbered_by_sentence(numbers_a), _numbered_by_sentence(numbers_b)
    for sentences_a, sentences_b in aligned_groups(alignment):
        in_a, in_b = set(sentences_a), set(sentences_b)
        closeness = max(closest[i] for i in in_a if i in closest)

        def of(
            grouped: dict[int, list[tuple[int, Mention]]], sentences: set[int], kind: str
        ) -> list[Mention]:
            found = [(k, m) for s in sentences for k, m in grouped.get(s, ()) if m.kind == kind]
            return [m for _, m in sorted(found, key=lambda item: item[0])]

        for ma, mb in _number_conflicts(
            of(figures_a, in_a, "number"), of(figures_b, in_b, "number"), closeness
        ):
            what = f"{ma.unit} figures" if ma.unit else "figures"
            add("number", ma, mb, f"aligned sentences give different {what}")
        dates = _date_conflicts(of(in_sentences_a, in_a, "date"), of(in_sentences_b, in_b, "date"),
                                published_a, published_b, closeness)  # fmt: skip
        for ma, mb, level in dates:
            add("date", ma, mb, f"aligned sentences give a different {level}")
        pa = [m for m in of(in_sentences_a, in_a, "place") if m.value not in all_places_b]
        pb = [m for m in of(in_sentences_b, in_b, "place") if m.value not in all_places_a]
        used: set[int] = set()
        for ma in pa:
            # the rival standing where this place stands in its sentence
            rivals = sorted(
                (
                    k
                    for k, mb in enumerate(pb)
                    if k not in used and _rival_places(ma, mb, closeness)
                ),
                key=lambda k: abs(_position(a, ma) - _position(b, pb[k])),
            )
            if rivals:
                used.add(rivals[0])
                add(
                    "place",
                    ma,
                    pb[rivals[0]],
                    "aligned sentences put the fact in different places",
                    key=("word", fold(ma.text), fold(pb[rivals[0]].text)),
                )
        names_a = of(in_sentences_a, in_a, "name") + of(in_sentences_a, in_a, "place")
        names_b = of(in_sentences_b, in_b, "name") + of(in_sentences_b, in_b, "place")
        for ma, mb, word_a, word_b in _substitutions(
            names_a, names_b, tokens_a, tokens_b, a.lang == b.lang, closeness
        ):
            kind = "place" if lookup(word_a) and lookup(word_b) else "name"
            add(
                kind,
                ma,
                mb,
                f"the same {kind} given as {word_a!r} and as {word_b!r}",
                key=("word", fold(word_a), fold(word_b)),
            )
        for ma, mb in _surname_swaps(of(in_sentences_a, in_a, "name"), of(in_sentences_b, in_b, "name"),
                                     surnames_a, surnames_b, tokens_a, tokens_b):  # fmt: skip
            add(
                "name",
                ma,
                mb,
                f"the same person named {ma.text!r} and {mb.text!r}",
                key=("word", fold(ma.text), fold(mb.text)),
            )
        # last: a sentence pair whose one difference another rule has explained is done
        explained = any(c.a_sentence in in_a and c.b_sentence in in_b for c in conflicts)
        if (
            len(in_a) == 1 and len(in_b) == 1 and closeness >= NEAR_IDENTICAL
            and a.lang == b.lang and not explained
        ):  # fmt: skip
            (only_a,), (only_b,) = in_a, in_b
            swapped = _swapped_names(a, b, only_a, only_b, names_a, names_b)
            if swapped is not None and not _spelt_alike(*swapped, reported_words or set()):
                ma, mb = swapped
                kind = _kind_of(ma, mb)
                # keyed by the last words, as the rules above key a fact: one fact told in
                # several sentences is one conflict
                last = ("word", fold(ma.text.split()[-1]), fold(mb.text.split()[-1]))
                add(kind, ma, mb, f"the same sentence names {ma.text!r} and {mb.text!r}", last)

    ages_a, ages_b = _ages(a), _ages(b)
    for surname, mentions_a in ages_a.items():
        mentions_b = ages_b.get(surname, [])
        if mentions_b and not {m.value for m in mentions_a} & {m.value for m in mentions_b}:
            add("number", mentions_a[0], mentions_b[0], f"different ages for {surname.title()}")
    return conflicts


def age_inconsistencies(analysis: Analysis, doc: str) -> list[Inconsistency]:
    """One person given two ages in one report."""
    found = []
    for surname, mentions in _ages(analysis).items():
        values = list(dict.fromkeys(m.value for m in mentions))
        if len(values) > 1:
            first = mentions[0]
            other = next(m for m in mentions if m.value != first.value)
            found.append(Inconsistency(doc=doc, kind="number", values=(first.text, other.text),
                                       sentences=(first.sentence, other.sentence),
                                       reason=f"two ages for {surname.title()}",
                                       spans=(mention_span(analysis, first),
                                              mention_span(analysis, other))))  # fmt: skip
    return found


def find_conflicts(
    a: Analysis, b: Analysis, alignment: Iterable[AlignedPair]
) -> tuple[list[Conflict], list[Inconsistency]]:
    """Conflicts between A and B, and inconsistencies inside each."""
    spellings = spelling_conflicts(a, b)
    reported = {(fold(c.a.split()[k]), fold(c.b.split()[k])) for c in spellings
                for k in range(min(len(c.a.split()), len(c.b.split())))}  # fmt: skip
    conflicts = spellings + fact_conflicts(a, b, alignment, reported)
    inconsistencies = [
        *spelling_inconsistencies(a, "a"),
        *age_inconsistencies(a, "a"),
        *spelling_inconsistencies(b, "b"),
        *age_inconsistencies(b, "b"),
    ]
    return conflicts, inconsistencies
