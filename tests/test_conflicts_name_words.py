"""Which words count as name words in spelling conflicts and inconsistencies, and the count a
spelling inconsistency's reason gives."""

from __future__ import annotations

import pytest

from samestory.analyze import Analysis, analyze_many
from samestory.compare.conflicts import _is_contraction, _times, find_conflicts
from samestory.read import article_from_text

CONTRACTIONS = (
    "We've been told to stay home. We're going to be ready for it. "
    "We’ve heard from the governors. We’re sending more help this week. "
    "They'll be deployed soon. They’re trained for it. Don't worry, said Ms Harper. "
    "It's a long fight, said Harper. Nobody knows when it ends."
)

LENGYEL = (
    "Gen. Joseph Lengyel spoke to reporters on Thursday. "
    "Lengyel said the Guard was ready. "
    "The governors called Lengyel on Friday. "
    "Gen. Joseph Lengyal said more troops would follow. "
    "Lengyal did not say how many."
)


@pytest.fixture(scope="module")
def analysed() -> dict[str, Analysis]:
    texts = {"contractions": CONTRACTIONS, "lengyel": LENGYEL}
    results = analyze_many([article_from_text(t) for t in texts.values()])
    return dict(zip(texts, results, strict=True))


@pytest.mark.parametrize(
    "word", ["We've", "We're", "We’ve", "They’re", "They'll", "Don't", "Isn’t", "It's",
             "That’s", "We'd", "I'm", "“We've", "We're,"],
)  # fmt: skip
def test_contractions_are_not_name_words(word: str) -> None:
    assert _is_contraction(word)


@pytest.mark.parametrize(
    "word", ["O'Neill", "Lengyel's", "Jarrott’s", "Sa'd", "D'Amato", "l’Élysée", "N'Djamena",
             "Lengyel", "Dell'Orto"],
)  # fmt: skip
def test_names_with_apostrophes_stay_name_words(word: str) -> None:
    assert not _is_contraction(word)


def test_contractions_make_no_inconsistency(analysed: dict[str, Analysis]) -> None:
    analysis = analysed["contractions"]
    conflicts, inconsistencies = find_conflicts(analysis, analysis, [])
    assert not [i for i in inconsistencies if i.kind in ("name", "place")]
    assert not conflicts


def test_contractions_make_no_spelling_conflict(analysed: dict[str, Analysis]) -> None:
    other = analyze_many([article_from_text(CONTRACTIONS.replace("We've been", "We'd been"))])[0]
    conflicts, _ = find_conflicts(analysed["contractions"], other, [])
    assert not [c for c in conflicts if c.kind in ("name", "place")]


def test_reason_counts_the_rare_form(analysed: dict[str, Analysis]) -> None:
    analysis = analysed["lengyel"]
    _, inconsistencies = find_conflicts(analysis, analysis, [])
    names = [i for i in inconsistencies if i.kind == "name" and i.doc == "a"]
    assert [i.reason for i in names] == ["'Lengyel' is written 'Lengyal' twice"]


def test_times() -> None:
    assert [_times(n) for n in (1, 2, 3, 11)] == ["once", "twice", "3 times", "11 times"]
