"""Highlights follow where the analysis found a value, not every place its text occurs.

Conflicts, inconsistencies and the details an aligned sentence adds carry the character offsets
of their mentions (``a_span``, ``spans``, ``adds_spans`` ...); the terminal and HTML reports and
the diff page mark exactly those spans, and fall back to the first whole-word occurrence only
for values without offsets (built by hand, or read from JSON written before offsets existed).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import pytest
from rich.console import Console

from samestory.compare import compare
from samestory.compare.comparison import Comparison, Conflict, Inconsistency
from samestory.compare.diff import VersionDiff, diff_versions
from samestory.render._marks import Mark, segments, sentence_marks
from samestory.render.diff_html import render_diff_html
from samestory.render.html import render_comparison_html
from samestory.render.terminal import _sentence_text, print_comparison
from test_render_example import example_comparison

# The age "28" and the day "28 January" in one sentence: only the age is in conflict.
FIRST = """Officer killed in New Mexico chase

Officer Darian Jarrott, 28, was killed on 28 January near Las Cruces after a traffic stop on Interstate 10.

Officials said 1,200 people attended the vigil for the officer on Friday."""

SECOND = """Officer killed in New Mexico chase

Officer Darian Jarrott, 29, was killed on 28 January near Las Cruces after a traffic stop on Interstate 10.

M. Biden said 1,500 people attended the vigil for the officer on Friday."""

OLD = """Storm hits the coast

Highway 28 was closed after the storm killed 28, the police said on Tuesday.

Schools stay closed."""

NEW = """Storm hits the coast

Highway 28 was closed after the storm killed 31, the police said on Tuesday.

Schools stay closed."""


@pytest.fixture(scope="module")
def forward() -> Comparison:
    return compare(FIRST, SECOND)


@pytest.fixture(scope="module")
def backward() -> Comparison:
    return compare(SECOND, FIRST)


def marked(comparison: Comparison, side: str, index: int) -> list[tuple[str, int, str]]:
    """(text, offset, kind) of every marked run of one sentence."""
    text = (comparison.sentences_a if side == "a" else comparison.sentences_b)[index]
    out, at = [], 0
    for run, mark in segments(text, sentence_marks(comparison).get((side, index), [])):
        if mark is not None:
            out.append((run, at, mark.kind))
        at += len(run)
    return out


def age_conflict(comparison: Comparison) -> Conflict:
    return next(c for c in comparison.conflicts if c.reason.endswith("age figures"))


@pytest.mark.parametrize("which", ["forward", "backward"])
def test_conflicts_carry_the_offsets_of_their_mentions(which: str, request) -> None:
    comparison: Comparison = request.getfixturevalue(which)
    assert comparison.conflicts
    for conflict in comparison.conflicts:
        assert conflict.a_span is not None and conflict.b_span is not None
        a_start, a_end = conflict.a_span
        b_start, b_end = conflict.b_span
        assert comparison.sentences_a[conflict.a_sentence][a_start:a_end] == conflict.a
        assert comparison.sentences_b[conflict.b_sentence][b_start:b_end] == conflict.b
    for pair in comparison.alignment:
        assert len(pair.adds_spans) == len(pair.adds)
        assert len(pair.removes_spans) == len(pair.removes)


def test_only_the_age_is_marked_not_the_day_of_the_month(forward: Comparison) -> None:
    conflict = age_conflict(forward)
    assert (conflict.a, conflict.b) == ("28", "29")
    sentence = forward.sentences_a[conflict.a_sentence]
    age_at = sentence.index("28,")
    runs = marked(forward, "a", conflict.a_sentence)
    assert [(text, at) for text, at, kind in runs if text == "28"] == [("28", age_at)]
    # the terminal marks the same span
    marks = sentence_marks(forward)
    text = _sentence_text(forward, marks, "a", conflict.a_sentence)
    styled = [(span.start, span.end) for span in text.spans if span.style]
    assert (age_at, age_at + 2) in styled
    day_at = sentence.index("28 January")
    assert all(not start <= day_at < end for start, end in styled)


def test_html_marks_the_age_once(forward: Comparison) -> None:
    page = render_comparison_html(forward)
    # in the sentences (marks with a note); the list of conflicts marks the values once more
    assert len(re.findall(r'<mark class="ssr-m-conflict" title="[^"]*">28</mark>', page)) == 1
    assert "28 January" in page


def test_a_normalised_name_is_still_underlined(forward: Comparison) -> None:
    pair = next(p for p in forward.alignment if "M Biden" in p.adds)
    runs = marked(forward, "b", pair.b)
    assert ("M. Biden", 0, "adds") in runs
    page = render_comparison_html(forward)
    assert re.search(r'<mark class="ssr-m-adds"[^>]*>M\. Biden</mark>', page)


def test_a_mirrored_comparison_marks_the_mirrored_spans(backward: Comparison) -> None:
    conflict = age_conflict(backward)
    assert (conflict.a, conflict.b) == ("29", "28")
    sentence = backward.sentences_b[conflict.b_sentence]
    runs = marked(backward, "b", conflict.b_sentence)
    assert [(text, at) for text, at, _ in runs if text == "28"] == [("28", sentence.index("28,"))]
    pair = next(p for p in backward.alignment if "M Biden" in p.removes)
    assert ("M. Biden", 0, "removes") in marked(backward, "a", pair.a)


def test_json_gains_offsets_and_keeps_every_old_key(forward: Comparison) -> None:
    data = json.loads(json.dumps(forward.to_dict()))
    conflict = data["conflicts"][0]
    assert {"kind", "a", "b", "a_sentence", "b_sentence", "reason"} <= set(conflict)
    assert isinstance(conflict["a"], str) and isinstance(conflict["a_sentence"], int)
    start, end = conflict["a_span"]
    assert data["sentences"]["a"][conflict["a_sentence"]][start:end] == conflict["a"]
    pair = data["alignment"][1]
    assert {"a", "b", "similarity", "adds", "removes"} <= set(pair)
    assert all(isinstance(value, str) for value in pair["adds"])
    assert len(pair["adds_spans"]) == len(pair["adds"])
    hand_built = example_comparison().to_dict()
    assert hand_built["conflicts"][0]["a_span"] is None
    assert hand_built["inconsistencies"][0]["spans"] is None
    assert hand_built["alignment"][0]["adds_spans"] == []


@pytest.fixture(scope="module")
def diff() -> VersionDiff:
    return diff_versions(OLD, NEW)


def test_diff_marks_the_changed_count_not_the_road_number(diff: VersionDiff) -> None:
    [fact] = diff.facts
    assert (fact.a, fact.b) == ("28", "31")
    sentence = diff.sentences_old[fact.a_sentence]
    assert fact.a_span == (sentence.index("28,"), sentence.index("28,") + 2)
    page = render_diff_html(diff)
    assert "Highway 28 was closed after the storm killed <mark" in page
    assert '<mark class="ssr-m-conflict">28</mark>' in page
    data = json.loads(json.dumps(diff.to_dict()))
    assert {"kind", "old", "new", "old_sentence", "new_sentence", "reason"} <= set(data["facts"][0])
    assert data["facts"][0]["old_span"] == list(fact.a_span)


def test_diff_without_offsets_marks_the_first_whole_word(diff: VersionDiff) -> None:
    bare = replace(diff, facts=tuple(replace(f, a_span=None, b_span=None) for f in diff.facts))
    page = render_diff_html(bare)
    assert "Highway <mark" in page  # no offsets: the first "28" (a whole word)
    assert page.count('<mark class="ssr-m-conflict">28</mark>') == 1


# --- values without offsets: the first whole-word occurrence ------------------------------


def test_without_offsets_only_the_first_whole_word_is_marked() -> None:
    text = "Jarrott, 28, died in 1928 on 28 January."
    runs = segments(text, [Mark(value="28", kind="conflict", note="")])
    assert [(run, m is not None) for run, m in runs] == [
        ("Jarrott, ", False), ("28", True), (", died in 1928 on 28 January.", False),
    ]  # fmt: skip


def test_a_value_with_punctuation_dropped_is_found_without_offsets() -> None:
    runs = segments("M. Biden spoke.", [Mark(value="M Biden", kind="adds", note="")])
    assert [run for run, m in runs if m] == ["M. Biden"]


def test_an_offset_outside_the_sentence_falls_back_to_the_search() -> None:
    text = "Jarrott, 28, died."
    runs = segments(text, [Mark(value="28", kind="conflict", note="", span=(40, 42))])
    assert [run for run, m in runs if m] == ["28"]


def test_hand_built_conflict_with_offsets_marks_exactly_them() -> None:
    base = example_comparison()
    sentence = "Jarrott, 28, was killed on 28 January."
    conflict = Conflict(kind="number", a="28", b="29", a_sentence=0, b_sentence=0,
                        a_span=(27, 29), b_span=None)  # fmt: skip
    comparison = replace(
        base, sentences_a=(sentence, *base.sentences_a[1:]), conflicts=(conflict,),
        inconsistencies=(), alignment=(),
    )  # fmt: skip
    assert [(run, at) for run, at, _ in marked(comparison, "a", 0)] == [("28", 27)]


def test_inconsistency_spans_mark_the_second_of_two_equal_spellings() -> None:
    base = example_comparison()
    sentence = "Jarrett met Jarrett."
    item = Inconsistency(doc="a", kind="name", values=("Jarrett", "Jarrett"), sentences=(0, 0),
                         spans=((0, 7), (12, 19)))  # fmt: skip
    comparison = replace(
        base, sentences_a=(sentence, *base.sentences_a[1:]), conflicts=(), alignment=(),
        inconsistencies=(item,),
    )  # fmt: skip
    assert [(run, at) for run, at, _ in marked(comparison, "a", 0)] == [
        ("Jarrett", 0), ("Jarrett", 12),
    ]  # fmt: skip


# --- the terminal's inconsistency lines -----------------------------------------------------


def render(comparison: Comparison, width: int = 120) -> str:
    buffer = io.StringIO()
    print_comparison(comparison, Console(file=buffer, width=width, force_terminal=False))
    return buffer.getvalue()


def test_inconsistency_values_are_paired_with_their_own_sentences() -> None:
    base = example_comparison()
    item = Inconsistency(doc="b", kind="name", values=("Jarrott", "Jarrett"), sentences=(1, 9),
                         reason="one person spelled two ways")  # fmt: skip
    text = render(replace(base, inconsistencies=(item,)))
    section = text.split("Inconsistencies inside one report")[1]
    assert "“Jarrott” (B2) / “Jarrett” (B10)" in section
    quoted = [line.split()[0] for line in section.splitlines() if re.match(r"\s+B\d+ ", line)]
    assert quoted == ["B2", "B10"]  # numeric order, not "B10" before "B2"


def test_a_possessive_is_not_part_of_the_span() -> None:
    """ "Jarrett’s patrol car": the name is "Jarrett", and so is the marked text."""
    first = """Officer killed in New Mexico chase

Officer Darian Jarrott was killed near Las Cruces after a traffic stop on Interstate 10.

Police said Jarrott's patrol car was found on the shoulder of the road."""
    second = first.replace("Jarrott's", "Jarrett’s")
    comparison = compare(first, second)
    conflict = next(c for c in comparison.conflicts if c.b == "Jarrett")
    b_text = comparison.sentences_b[conflict.b_sentence]
    assert conflict.b_span is not None
    assert b_text[slice(*conflict.b_span)] == "Jarrett"
    assert ("Jarrett", b_text.index("Jarrett"), "conflict") in marked(
        comparison, "b", conflict.b_sentence
    )
