"""Highlighting values inside sentences: runs cover the text exactly, marks never overlap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from samestory.render._marks import (
    Mark,
    aligned_groups,
    plain_reason,
    score_label,
    segments,
    similarity_share,
)
from test_render_example import example_comparison


def mark(value: str, kind: str = "conflict") -> Mark:
    return Mark(value=value, kind=kind, note="")


@given(st.text(max_size=80), st.lists(st.text(min_size=1, max_size=6), max_size=4))
def test_runs_rebuild_the_text(text: str, values: list[str]):
    runs = segments(text, [mark(v) for v in values])
    assert "".join(run for run, _ in runs) == text


def test_whole_words_case_insensitive_and_most_important_kind_wins():
    runs = segments(
        "Las Cruces police near las cruces; Cruceses",
        [mark("Cruces", "adds"), mark("Las Cruces", "conflict")],
    )
    marked = [(run, m.kind) for run, m in runs if m]
    assert marked == [("Las Cruces", "conflict"), ("las cruces", "conflict")]


def test_value_not_in_the_sentence_marks_nothing():
    assert segments("Nothing here.", [mark("Jarrott")]) == [("Nothing here.", None)]


def test_split_sentence_shares_one_group():
    groups = aligned_groups(example_comparison())
    assert groups["a", 5] == groups["b", 3] == groups["b", 4]
    assert groups["a", 2] == groups["b", 0] != groups["a", 5]
    assert ("a", 0) not in groups  # only-A sentences have no group


def test_labels_and_bars():
    assert [score_label(s) for s in (1.0, 1.49, 1.5, 2.6, 4.0)] == [
        "very similar", "very similar", "somewhat similar", "somewhat dissimilar",
        "very dissimilar",
    ]  # fmt: skip
    assert similarity_share(1.0) == 1.0 and similarity_share(4.0) == 0.0
    assert similarity_share(9.0) == 0.0
    assert plain_reason("very similar: both give Thursday") == "both give Thursday"
    assert plain_reason("note: kept") == "note: kept"
