"""Where to highlight facts inside sentence text: shared by the terminal and HTML renderings.

A *mark* is a value as written in a report (a conflicting name, an inconsistent date, a detail
one sentence adds) plus what it means; ``segments`` cuts a sentence into plain and marked runs so
that each renderer only has to style the runs. Finding is forgiving (case-insensitive, whole
words preferred) because values may be normalised slightly differently from the sentence text.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from ..compare.comparison import Comparison

# Kinds of marks, most important first: when two overlap, the earlier kind wins.
MARK_KINDS = ("conflict", "inconsistency", "adds", "removes")

SCORE_LABELS = ("very similar", "somewhat similar", "somewhat dissimilar", "very dissimilar")


@dataclass(frozen=True, kw_only=True)
class Mark:
    """A value to highlight in one sentence, with the note a reader sees on hover."""

    value: str
    kind: str  # one of MARK_KINDS
    note: str
    target: str = ""  # anchor of the conflict/inconsistency entry this mark belongs to
    other: str = ""  # the value it is at odds with, as a reader should see it ("B: Las Cruces")


def sentence_marks(comparison: Comparison) -> dict[tuple[str, int], list[Mark]]:
    """Marks per sentence, keyed by ``("a" | "b", sentence index)``."""
    marks: dict[tuple[str, int], list[Mark]] = defaultdict(list)
    for n, conflict in enumerate(comparison.conflicts):
        note = f"{conflict.kind} conflict: A says “{conflict.a}”, B says “{conflict.b}”" + (
            f" — {conflict.reason}" if conflict.reason else ""
        )
        target = f"conflict-{n + 1}"
        marks["a", conflict.a_sentence].append(
            Mark(
                value=conflict.a,
                kind="conflict",
                note=note,
                target=target,
                other=f"B: {conflict.b}",
            )
        )
        marks["b", conflict.b_sentence].append(
            Mark(
                value=conflict.b,
                kind="conflict",
                note=note,
                target=target,
                other=f"A: {conflict.a}",
            )
        )
    for n, item in enumerate(comparison.inconsistencies):
        side = item.doc.upper()
        note = (
            f"{item.kind} given two ways inside {side}: “{item.values[0]}” / “{item.values[1]}”"
            + (f" — {item.reason}" if item.reason else "")
        )
        target = f"inconsistency-{n + 1}"
        for k, (value, index) in enumerate(zip(item.values, item.sentences, strict=False)):
            other_value, other_index = item.values[1 - k], item.sentences[1 - k]
            other = f"{side}{other_index + 1}: {other_value}"
            marks[item.doc, index].append(
                Mark(value=value, kind="inconsistency", note=note, target=target, other=other)
            )
    for pair in comparison.alignment:
        for value in pair.adds:
            marks["b", pair.b].append(
                Mark(value=value, kind="adds", note=f"detail B adds to A{pair.a + 1}")
            )
        for value in pair.removes:
            marks["a", pair.a].append(
                Mark(value=value, kind="removes", note=f"detail A gives and B{pair.b + 1} omits")
            )
    return marks


def _find(value: str, text: str) -> list[tuple[int, int]]:
    """Spans of ``value`` in ``text``: whole words if found, else any case-insensitive match."""
    if not value.strip():
        return []
    escaped = re.escape(value.strip())
    spans = [m.span() for m in re.finditer(rf"(?<!\w){escaped}(?!\w)", text, re.IGNORECASE)]
    return spans or [m.span() for m in re.finditer(escaped, text, re.IGNORECASE)]


def segments(text: str, marks: list[Mark]) -> list[tuple[str, Mark | None]]:
    """Cut ``text`` into runs, each plain (``None``) or covered by one mark; never overlapping."""
    taken: list[tuple[int, int, Mark]] = []
    ranked = sorted(marks, key=lambda m: (MARK_KINDS.index(m.kind), -len(m.value)))
    for mark in ranked:
        for start, end in _find(mark.value, text):
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, mark))
    taken.sort(key=lambda t: t[0])
    runs: list[tuple[str, Mark | None]] = []
    position = 0
    for start, end, mark in taken:
        if start > position:
            runs.append((text[position:start], None))
        runs.append((text[start:end], mark))
        position = end
    if position < len(text):
        runs.append((text[position:], None))
    return runs


def score_label(score: float) -> str:
    """The SemEval-2022 Task 8 wording of the nearest point on the 1..4 scale."""
    nearest = math.floor(score + 0.5)  # 1.5 rounds up, not to even: halves read as the worse side
    return SCORE_LABELS[min(3, max(0, nearest - 1))]


def plain_reason(reason: str) -> str:
    """The reason without a leading "very similar: " when the report shows that label anyway."""
    head, sep, rest = reason.partition(": ")
    return rest if sep and head.strip().lower() in SCORE_LABELS else reason


def similarity_share(score: float) -> float:
    """How alike on a 0..1 scale (1 = score 1, very similar; 0 = score 4): the length of a bar."""
    return min(1.0, max(0.0, (4.0 - score) / 3.0))


def aligned_groups(comparison: Comparison) -> dict[tuple[str, int], int]:
    """Group number per aligned sentence: sentences linked through the alignment share a group.

    A sentence split in two in the other report gives one group of three sentences, so one colour
    covers all of them. Groups are numbered in reading order of A.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in comparison.alignment:
        parent[root(("a", pair.a))] = root(("b", pair.b))
    roots: dict[tuple[str, int], int] = {}
    groups: dict[tuple[str, int], int] = {}
    for node in sorted(parent, key=lambda n: (n[0] != "a", n[1])):
        groups[node] = roots.setdefault(root(node), len(roots))
    return groups
