"""Short reasons for each score, drawn from the evidence the model saw."""

from __future__ import annotations

from typing import Any

from ..analyze import Analysis
from ..analyze.gazetteer import country_name
from ..analyze.mentions import Mention, opens_sentence
from .comparison import AlignedPair, Conflict, Scores
from .features import place_countries

_LEVELS = ((1.5, "very similar"), (2.5, "somewhat similar"), (3.5, "somewhat dissimilar"))


def level(score: float) -> str:
    """The SemEval wording of a 1..4 score."""
    for bound, words in _LEVELS:
        if score < bound:
            return words
    return "very dissimilar"


def _texts(mentions: list[Mention], kind: str, values: set[str], limit: int = 3) -> list[str]:
    out: list[str] = []
    for m in mentions:
        if m.kind == kind and m.value in values and m.text not in out:
            out.append(m.text)
    return out[:limit]


def _same_day(x: str, y: str) -> bool:
    """Two date values of one day, one of them without its year ("24 February" and
    "February 24, 2020": ``----02-24`` and ``2020-02-24``)."""
    if x == y:
        return True
    if len(x) == len(y) == 10 and "----" in (x[:4], y[:4]):
        return x[4:] == y[4:]
    return False


def _shared_dates(ma: list[Mention], mb: list[Mention]) -> list[str]:
    """Dates both give, as A writes them: the same value, or one day with and without a year."""
    values_b = {m.value for m in mb if m.kind == "date"}
    out: list[str] = []
    for m in ma:
        if m.kind == "date" and m.text not in out and any(_same_day(m.value, v) for v in values_b):
            out.append(m.text)
    return out[:3]


def _shared_places(ma: list[Mention], mb: list[Mention]) -> list[str]:
    """Places both name, as A writes them: the same place, or a place of one that the other
    names as written without the gazetteer placing it (German "Venezuela" after an article)."""
    places_b = {m.value for m in mb if m.kind == "place"}
    written_b = {m.text.casefold() for m in mb if m.kind in ("name", "place")}
    placed_b = {m.text.casefold() for m in mb if m.kind == "place"}
    out: list[str] = []
    for m in ma:
        written = m.text.casefold()
        if m.text not in out and (
            (m.kind == "place" and (m.value in places_b or written in written_b))
            or (m.kind == "name" and written in placed_b)
        ):
            out.append(m.text)
    return out[:3]


def _names(analysis: Analysis) -> dict[str, str]:
    """Folded surname -> name as written (longest form), for people and organisations.

    A lone capitalised word that only ever opens a sentence is more often a verb or an
    adverb than a name ("Starting", "Meanwhile", "Preheat"): it is left out, as on a story's
    timeline; the model's features still count it."""
    inside = {
        m.value
        for m in analysis.mentions
        if m.kind == "name" and not opens_sentence(analysis.sentences[m.sentence], m.start)
    }
    names: dict[str, str] = {}
    for m in analysis.mentions:
        if m.kind == "name" and (" " in m.text or m.value in inside):
            key = m.value.split()[-1]
            if len(m.text) > len(names.get(key, "")):
                names[key] = m.text
    return names


def _join(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def _no_shared_place(
    ma: list[Mention], mb: list[Mention], places_a: set[str], places_b: set[str]
) -> str:
    """The Geography reason when no place is named in both: the countries both name places in,
    if any, and each side's places."""
    countries = sorted(place_countries(ma) & place_countries(mb))
    reason = "no place named in both"
    if countries:
        reason += f", but both name places in {_join([country_name(c) for c in countries])}"
    return (
        f"{reason} (A: {_join(_texts(ma, 'place', places_a))}; "
        f"B: {_join(_texts(mb, 'place', places_b))})"
    )


def explain(
    a: Analysis,
    b: Analysis,
    scores: Scores,
    features: dict[str, float],
    alignment: list[AlignedPair],
    conflicts: list[Conflict],
) -> tuple[dict[str, str], dict[str, Any]]:
    """A reason per dimension and the evidence behind it (shared and unique facts)."""
    ma, mb = list(a.mentions), list(b.mentions)
    places_a = {m.value for m in ma if m.kind == "place"}
    places_b = {m.value for m in mb if m.kind == "place"}
    shared_places = _shared_places(ma, mb)
    names_a, names_b = _names(a), _names(b)
    shared_names = [names_a[k] for k in names_a if k in names_b][:4]
    only_names_b = [names_b[k] for k in names_b if k not in names_a][:4]
    only_names_a = [names_a[k] for k in names_a if k not in names_b][:4]
    dates_a = {m.value for m in ma if m.kind == "date"}
    dates_b = {m.value for m in mb if m.kind == "date"}
    shared_dates = _shared_dates(ma, mb)
    kinds = {c.kind for c in conflicts}
    aligned_a = len({p.a for p in alignment})
    aligned_b = len({p.b for p in alignment})

    def with_conflict(kind: str, text: str) -> str:
        n = sum(1 for c in conflicts if c.kind == kind)
        return f"{text}; {n} {kind} conflict{'s' if n > 1 else ''}" if kind in kinds else text

    reasons = {
        "geography": with_conflict(
            "place",
            f"{level(scores.geography)}: "
            + (
                f"both mention {_join(shared_places)}"
                if shared_places
                else _no_shared_place(ma, mb, places_a, places_b)
            ),
        ),
        "entities": with_conflict(
            "name",
            (
                f"{level(scores.entities)}: shared {_join(shared_names)}"
                + (f"; only B names {_join(only_names_b)}" if only_names_b else "")
                + (f"; only A names {_join(only_names_a)}" if only_names_a else "")
            ),
        ),
        "time": with_conflict(
            "date",
            (
                f"{level(scores.time)}: both give {_join(shared_dates)}"
                if shared_dates
                else f"{level(scores.time)}: no date in common "
                f"(A: {_join(_texts(ma, 'date', dates_a))}; B: {_join(_texts(mb, 'date', dates_b))})"
            ),
        ),
        "narrative": (
            f"{level(scores.narrative)}: {aligned_a} of {len(a.sentences)} sentences of A and "
            f"{aligned_b} of {len(b.sentences)} of B correspond; "
            f"whole-text similarity {features['doc_cos']:.2f}"
        ),
        "overall": (
            f"{level(scores.overall)}: narrative {scores.narrative:.1f}, entities "
            f"{scores.entities:.1f}, geography {scores.geography:.1f}, time {scores.time:.1f}"
        ),
        "style": (
            f"{level(scores.style)}: {len(a.article.text):,} vs {len(b.article.text):,} characters, "
            f"shared vocabulary {max(features['word_jaccard'], 0):.0%}"
            + ("" if a.lang == b.lang else f", {a.lang} vs {b.lang}")
        ),
        "tone": (
            f"{level(scores.tone)}: judged from wording and framing "
            f"(headline similarity {features['title_cos']:.2f}, lead similarity {features['lead_cos']:.2f})"
        ),
    }
    evidence = {
        "shared": {"places": shared_places, "names": shared_names, "dates": shared_dates},
        "only_a": {"names": only_names_a},
        "only_b": {"names": only_names_b},
        "features": {
            k: round(float(v), 4) for k, v in features.items() if not k.startswith("lang_")
        },
    }
    return reasons, evidence
