"""Invariants: compare(a, b) mirrors compare(b, a); compare(a, a) is one event; ids are stable.

Checked on real SemEval-2022 Task 8 pairs (../shared/data/sts22, same- and cross-language),
on the bundled example pair (which has conflicts) and on generated texts and files.
"""

from __future__ import annotations

import contextlib
import csv
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _robustness import ROBUST, outcome
from samestory.analyze import Analysis, analyze_many
from samestory.compare import Comparison, compare, compare_analyses
from samestory.errors import SamestoryError
from samestory.read import read_file, read_many, read_text
from test_robustness_fuzz import STORY, files, prose

NASTY = Path(__file__).resolve().parent / "nasty"
PAIRS = 8


def assert_mirrors(ab: Comparison, ba: Comparison) -> None:
    assert ab.scores == ba.scores
    assert ab.same_event_probability == ba.same_event_probability
    assert ab.same_event == ba.same_event
    assert [(p.a, p.b, p.similarity, p.adds, p.removes) for p in ab.alignment] == sorted(
        (p.b, p.a, p.similarity, p.removes, p.adds) for p in ba.alignment
    )
    assert (ab.only_a, ab.only_b) == (ba.only_b, ba.only_a)
    assert [(c.kind, c.a, c.b, c.a_sentence, c.b_sentence) for c in ab.conflicts] == [
        (c.kind, c.b, c.a, c.b_sentence, c.a_sentence) for c in ba.conflicts
    ]
    swap = {"a": "b", "b": "a"}
    assert sorted((i.doc, i.kind, i.values) for i in ab.inconsistencies) == sorted(
        (swap[i.doc], i.kind, i.values) for i in ba.inconsistencies
    )
    assert (ab.a, ab.b, ab.sentences_a, ab.sentences_b) == (
        ba.b,
        ba.a,
        ba.sentences_b,
        ba.sentences_a,
    )


def assert_same_report(aa: Comparison) -> None:
    assert aa.same_event and aa.same_event_probability > 0.99
    assert all(score <= 1.05 for score in aa.scores.to_dict().values()), aa.scores
    assert not aa.conflicts
    assert not aa.only_a and not aa.only_b


@pytest.fixture(scope="module")
def sts22_analyses(data_dir: Path) -> list[tuple[Analysis, Analysis]]:
    csv.field_size_limit(1 << 26)
    with (data_dir / "sts22" / "pairs.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    random.Random(10).shuffle(rows)
    rows.sort(key=lambda r: r["lang1"] == r["lang2"])  # cross-lingual pairs first, then the rest
    chosen = rows[: PAIRS // 4] + rows[-(PAIRS - PAIRS // 4) :]
    articles = []
    for row in chosen:
        for side in ("1", "2"):
            articles.append(read_text(row[f"text{side}"], title=row[f"title{side}"] or None,
                                      lang=row[f"lang{side}"]))  # fmt: skip
    analyses = analyze_many(articles)
    return list(zip(analyses[::2], analyses[1::2], strict=True))


def test_compare_mirrors_on_real_pairs(sts22_analyses: list[tuple[Analysis, Analysis]]) -> None:
    languages = set()
    for a, b in sts22_analyses:
        assert_mirrors(compare_analyses(a, b), compare_analyses(b, a))
        languages.add((a.lang, b.lang))
    assert any(x != y for x, y in languages)  # cross-lingual pairs were among them


def test_compare_with_itself_on_real_articles(
    sts22_analyses: list[tuple[Analysis, Analysis]],
) -> None:
    for a, b in sts22_analyses:
        for side in (a, b):
            assert_same_report(compare_analyses(side, side))


def test_compare_mirrors_with_conflicts(example_dir: Path) -> None:
    a, b = (read_file(p) for p in sorted(example_dir.glob("*.txt")))
    ab, ba = compare(a, b), compare(b, a)
    assert ab.conflicts  # the example's misspelt place and name
    assert_mirrors(ab, ba)
    assert_same_report(compare(a, a))


@ROBUST.__class__(ROBUST, max_examples=max(5, ROBUST.max_examples // 20))
@given(st.one_of(prose, st.builds(lambda: STORY)), st.one_of(prose, st.builds(lambda: STORY)))
def test_compare_mirrors_on_generated_texts(x: str, y: str) -> None:
    try:
        a, b = read_text(x), read_text(y)
    except SamestoryError:
        return
    pair = outcome("compare", lambda: analyze_many([a, b]))
    assert not isinstance(pair, SamestoryError)
    first, second = pair
    assert_mirrors(compare_analyses(first, second), compare_analyses(second, first))
    assert_same_report(compare_analyses(first, first))


def _ids(path: Path) -> list[str]:
    return [a.id for a in read_many(path)]


@pytest.mark.parametrize("path", sorted(NASTY.glob("*.*")), ids=lambda p: p.name)
def test_reading_a_file_twice_gives_the_same_ids(path: Path) -> None:
    assert _ids(path) == _ids(path)


@ROBUST
@given(files())
def test_reading_a_generated_file_twice_gives_the_same_ids(case: tuple[str, bytes]) -> None:
    from test_robustness_fuzz import _write

    path = _write(*case)
    first = outcome("read_twice", lambda: _ids(path))
    second = outcome("read_twice", lambda: _ids(path))
    assert first == second
    with contextlib.suppress(SamestoryError):
        assert read_file(path).id == read_file(path).id
