"""Where to highlight facts inside sentence text: shared by the terminal and HTML renderings.

A *mark* is a value as written in a report (a conflicting name, an inconsistent date, a detail
one sentence adds) plus what it means; ``segments`` cuts a sentence into plain and marked runs so
that each renderer only has to style the runs. A mark covers the span the analysis found the
value at (``Conflict.a_span``, ``Inconsistency.spans``, ``AlignedPair.adds_spans`` ...), so
"28" the age is marked and "28" of "28 January" is not. Values without a span (built by hand,
or read from JSON written before spans existed) mark their first whole-word occurrence,
case-insensitively; punctuation the value dropped ("M Biden" for "M. Biden") is allowed back.

``score_level`` is the one 1..4 band of a score that labels, bar colours and the HTML's
``ssr-lvl`` classes share; ``probability_text`` writes a same-event probability so that its
rounding never crosses the verdict threshold.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from ..compare.comparison import Comparison, Span

# Kinds of marks, most important first: when two overlap, the earlier kind wins.
MARK_KINDS = ("conflict", "inconsistency", "adds", "removes")

SCORE_LABELS = ("very similar", "somewhat similar", "somewhat dissimilar", "very dissimilar")

# The same-event verdict's default threshold (CompareOptions.same_event_threshold).
SAME_EVENT_THRESHOLD = 0.5


@dataclass(frozen=True, kw_only=True)
class Mark:
    """A value to highlight in one sentence, with the note a reader sees on hover."""

    value: str
    kind: str  # one of MARK_KINDS
    note: str
    target: str = ""  # anchor of the conflict/inconsistency entry this mark belongs to
    other: str = ""  # the value it is at odds with, as a reader should see it ("B: Las Cruces")
    span: Span | None = None  # where the value stands in the sentence, when the analysis knows


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
                span=conflict.a_span,
            )
        )
        marks["b", conflict.b_sentence].append(
            Mark(
                value=conflict.b,
                kind="conflict",
                note=note,
                target=target,
                other=f"A: {conflict.a}",
                span=conflict.b_span,
            )
        )
    for n, item in enumerate(comparison.inconsistencies):
        side = item.doc.upper()
        note = (
            f"{item.kind} given two ways inside {side}: “{item.values[0]}” / “{item.values[1]}”"
            + (f" — {item.reason}" if item.reason else "")
        )
        target = f"inconsistency-{n + 1}"
        spans = item.spans or (None, None)
        for k, (value, index) in enumerate(zip(item.values, item.sentences, strict=False)):
            other_value, other_index = item.values[1 - k], item.sentences[1 - k]
            other = f"{side}{other_index + 1}: {other_value}"
            marks[item.doc, index].append(
                Mark(
                    value=value,
                    kind="inconsistency",
                    note=note,
                    target=target,
                    other=other,
                    span=spans[k],
                )
            )
    for pair in comparison.alignment:
        for value, span in _with_spans(pair.adds, pair.adds_spans):
            marks["b", pair.b].append(
                Mark(value=value, kind="adds", note=f"detail B adds to A{pair.a + 1}", span=span)
            )
        for value, span in _with_spans(pair.removes, pair.removes_spans):
            marks["a", pair.a].append(
                Mark(
                    value=value,
                    kind="removes",
                    note=f"detail A gives and B{pair.b + 1} omits",
                    span=span,
                )
            )
    return marks


def _with_spans(values: tuple[str, ...], spans: tuple[Span, ...]) -> list[tuple[str, Span | None]]:
    """Each value with its span; none at all when the spans do not match the values one to one."""
    if len(spans) != len(values):
        return [(value, None) for value in values]
    return list(zip(values, spans, strict=True))


def find_value(value: str, text: str) -> Span | None:
    """The first whole-word occurrence of ``value`` in ``text`` (case-insensitive), if any.

    A value whose punctuation was dropped ("M Biden", from "M. Biden") is found with it.
    """
    value = value.strip()
    if not value:
        return None
    found = re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE)
    if found is None:
        words = re.findall(r"\w+", value)
        if not words:
            return None
        loose = r"\W+".join(re.escape(word) for word in words)
        found = re.search(rf"(?<!\w){loose}(?!\w)", text, re.IGNORECASE)
    return found.span() if found else None


def mark_span(span: Span | None, value: str, text: str) -> Span | None:
    """Where to mark ``value`` in ``text``: its own span when that fits the text, else the
    first whole-word occurrence (a span from another text, or none at all)."""
    if span is not None:
        start, end = span
        if 0 <= start < end <= len(text) and text[start:end].strip():
            return start, end
    return find_value(value, text)


def segments(text: str, marks: list[Mark]) -> list[tuple[str, Mark | None]]:
    """Cut ``text`` into runs, each plain (``None``) or covered by one mark; never overlapping.

    Where two marks overlap, the more important kind wins (then the longer value).
    """
    taken: list[tuple[int, int, Mark]] = []
    ranked = sorted(marks, key=lambda m: (MARK_KINDS.index(m.kind), -len(m.value)))
    for mark in ranked:
        found = mark_span(mark.span, mark.value, text)
        if found is not None:
            start, end = found
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


def score_level(score: float) -> int:
    """The point of the 1..4 scale nearest to the score *as displayed* (one decimal).

    2.46 is shown "2.5", so it is level 3 like a shown 2.5: a label or colour never disagrees
    with the number beside it. Halves go up, to the worse side (1.5 is 2). The HTML's
    ``ssr-lvl1`` .. ``ssr-lvl4`` classes, the terminal's bar colours and ``score_label`` all
    use this one band: < 1.5, < 2.5, < 3.5, the rest (of the displayed value).
    """
    shown = float(f"{score:.1f}")  # the digits a report prints
    return min(4, max(1, math.floor(shown + 0.5)))


def score_label(score: float) -> str:
    """The SemEval-2022 Task 8 wording of the score's level (see ``score_level``)."""
    return SCORE_LABELS[score_level(score) - 1]


def probability_text(probability: float, threshold: float = SAME_EVENT_THRESHOLD) -> str:
    """A same-event probability as a whole percentage that cannot read as the other verdict.

    0.4996 would round to "50%" under a "different events" verdict; it reads "<50%" instead.
    """
    shown = f"{probability:.0%}"
    if probability < threshold <= float(shown.rstrip("%")) / 100:
        return f"<{threshold:.0%}"
    return shown


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
