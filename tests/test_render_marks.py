"""Highlighting values inside sentences: runs cover the text exactly, marks never overlap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from samestory.render._marks import (
    Mark,
    aligned_groups,
    plain_reason,
    probability_text,
    score_label,
    score_level,
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
    # without offsets a value marks its first whole-word occurrence only
    runs = segments(
        "las cruces police near Las Cruces; Cruceses",
        [mark("Cruces", "adds"), mark("Las Cruces", "conflict")],
    )
    marked = [(run, m.kind) for run, m in runs if m]
    assert marked == [("las cruces", "conflict")]


def test_value_not_in_the_sentence_marks_nothing():
    assert segments("Nothing here.", [mark("Jarrott")]) == [("Nothing here.", None)]


def test_split_sentence_shares_one_group():
    groups = aligned_groups(example_comparison())
    assert groups["a", 5] == groups["b", 3] == groups["b", 4]
    assert groups["a", 2] == groups["b", 0] != groups["a", 5]
    assert ("a", 0) not in groups  # only-A sentences have no group


def test_labels_and_bars():
    assert [score_label(s) for s in (1.0, 1.44, 1.5, 2.6, 4.0)] == [
        "very similar", "very similar", "somewhat similar", "somewhat dissimilar",
        "very dissimilar",
    ]  # fmt: skip
    assert similarity_share(1.0) == 1.0 and similarity_share(4.0) == 0.0
    assert similarity_share(9.0) == 0.0
    assert plain_reason("very similar: both give Thursday") == "both give Thursday"
    assert plain_reason("note: kept") == "note: kept"


def test_label_follows_the_score_as_displayed():
    # 2.46 is shown as "2.5", and a shown 2.5 reads as the worse side
    assert f"{2.46:.1f}" == "2.5"
    assert score_label(2.46) == score_label(2.5) == "somewhat dissimilar"
    assert score_label(2.44) == "somewhat similar"
    assert score_label(1.449) == "very similar" and score_label(1.49) == "somewhat similar"
    assert f"{1.45:.1f}" == "1.4" and score_label(1.45) == "very similar"  # 1.45 is 1.4499...
    assert score_label(3.46) == "very dissimilar"
    assert [score_level(s) for s in (0.2, 1.0, 1.46, 2.46, 3.44, 3.45, 9.0)] == [
        1,
        1,
        2,
        3,
        3,
        4,
        4,
    ]


def test_probability_never_rounds_across_the_verdict():
    assert probability_text(0.4996) == "<50%"
    assert probability_text(0.495) == "<50%"
    assert probability_text(0.494) == "49%"
    assert probability_text(0.5) == "50%"
    assert probability_text(0.97) == "97%"
    assert probability_text(0.03) == "3%"
