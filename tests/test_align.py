"""Sentence alignment: translations, a sentence split in two, a restatement with more detail."""

from __future__ import annotations

import pytest

from samestory.analyze import Analysis, analyze_many
from samestory.compare.align import align
from samestory.compare.features import sentence_similarity
from samestory.read import article_from_text

ENGLISH = (
    "A police officer was shot dead on Thursday during a traffic stop on the interstate. "
    "The suspect fled east towards Las Cruces in a white truck. "
    "City officials announced a new budget for public libraries."
)
SPANISH = (
    "Un policía murió por disparos el jueves durante un control de tráfico en la autopista. "
    "El sospechoso huyó hacia el este, hacia Las Cruces, en una camioneta blanca. "
    "Los científicos descubrieron una nueva especie de rana en la selva."
)
GERMAN = (
    "Ein Polizist wurde am Donnerstag bei einer Verkehrskontrolle auf der Autobahn erschossen. "
    "Der Verdächtige floh in einem weißen Lastwagen nach Osten in Richtung Las Cruces."
)
MERGED = "The suspect was arrested on Friday in Dallas and was later charged with the murder of two people."
SPLIT = "The suspect was arrested on Friday in Dallas. He was later charged with the murder of two people."
PLAIN = "The officer was killed on Interstate 10 near the town of Akela."
DETAILED = "Officer Darian Jarrott, 28, was killed on Interstate 10 near the town of Akela."


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    texts = {"en": ENGLISH, "es": SPANISH, "de": GERMAN, "merged": MERGED, "split": SPLIT,
             "plain": PLAIN, "detailed": DETAILED}  # fmt: skip
    analysed = analyze_many([article_from_text(t) for t in texts.values()])
    return dict(zip(texts, analysed, strict=True))


def _align(a: Analysis, b: Analysis):
    return align(a, b, sentence_similarity(a, b))


def test_translations_align_and_unrelated_sentences_do_not(analyses) -> None:
    pairs, only_a, only_b = _align(analyses["en"], analyses["es"])
    assert {(p.a, p.b) for p in pairs} == {(0, 0), (1, 1)}
    assert only_a == [2] and only_b == [2]


def test_german_english_alignment(analyses) -> None:
    pairs, only_a, _ = _align(analyses["de"], analyses["en"])
    assert {(p.a, p.b) for p in pairs} == {(0, 0), (1, 1)}
    assert only_a == []


def test_a_split_sentence_aligns_with_both_halves(analyses) -> None:
    pairs, only_a, only_b = _align(analyses["merged"], analyses["split"])
    assert {(p.a, p.b) for p in pairs} == {(0, 0), (0, 1)}
    assert only_a == [] and only_b == []
    pairs, only_a, only_b = _align(analyses["split"], analyses["merged"])
    assert {(p.a, p.b) for p in pairs} == {(0, 0), (1, 0)}


def test_restatement_with_more_detail_is_aligned_and_adds(analyses) -> None:
    pairs, only_a, only_b = _align(analyses["plain"], analyses["detailed"])
    assert [(p.a, p.b) for p in pairs] == [(0, 0)]
    assert only_a == [] and only_b == []
    assert any("Darian Jarrott" in fact for fact in pairs[0].adds)
    assert pairs[0].removes == ()


def test_only_lists_are_the_sentences_without_counterpart(analyses) -> None:
    pairs, only_a, only_b = _align(analyses["en"], analyses["de"])
    assert set(only_a) == set(range(3)) - {p.a for p in pairs}
    assert set(only_b) == set(range(2)) - {p.b for p in pairs}


def test_sparse_word_overlap_matches_the_pairwise_count():
    import random

    import numpy as np

    from samestory.compare.align import _sparse_word_overlap

    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(60)]
    first = [set(rng.sample(vocabulary, rng.randint(0, 12))) for _ in range(120)]
    second = [set(rng.sample(vocabulary, rng.randint(0, 12))) for _ in range(90)]
    expected = np.zeros((120, 90), dtype=np.float32)
    for i, x in enumerate(first):
        for j, y in enumerate(second):
            if len(x & y) >= 3:
                expected[i, j] = len(x & y) / len(x | y)
    np.testing.assert_allclose(_sparse_word_overlap(first, second, 3), expected, atol=1e-6)


def test_a_fact_one_side_knows_as_a_place_and_the_other_as_a_name_is_in_both() -> None:
    """A user's de-en pair listed "Venezuela" both as what B adds and what A says that B does
    not: A's analysis knew it as a country, B's only as a capitalised word."""
    from samestory.analyze.mentions import Mention
    from samestory.compare.align import _difference, _fact_keys

    a_sentence = "Die Polizei patrouilliert in der Hafenstadt La Goraira, Venezuela."
    b_sentence = "Security forces patrol in the port city of La Guaira, Venezuela."
    a = _fact_keys([
        Mention("name", "Hafenstadt La Goraira", "hafenstadt la goraira", 0, 33, 54),
        Mention("place", "Venezuela", "3625428", 0, 56, 65),
    ], a_sentence)  # fmt: skip
    b = _fact_keys([
        Mention("place", "La Guaira", "3640847", 0, 43, 52),
        Mention("name", "Venezuela", "venezuela", 0, 54, 63),
    ], b_sentence)  # fmt: skip
    assert _difference(b, a)[0] == ("La Guaira",)  # "la" alone does not make it A's
    assert _difference(a, b)[0] == ("Hafenstadt La Goraira",)


def test_a_surname_is_not_added_twice_beside_the_full_name() -> None:
    from samestory.analyze.mentions import Mention
    from samestory.compare.align import _difference, _fact_keys

    sentence = "Officer Darian Jarrott was killed; Jarrott was 28."
    b = _fact_keys([
        Mention("name", "Darian Jarrott", "darian jarrott", 0, 8, 22),
        Mention("name", "Jarrott", "jarrott", 0, 35, 42),
    ], sentence)  # fmt: skip
    a = _fact_keys([Mention("name", "Jarrott", "jarrott", 0, 0, 7)], "Jarrott died.")
    assert _difference(b, [])[0] == ("Darian Jarrott",)
    assert _difference(b, a)[0] == ("Darian Jarrott",)
