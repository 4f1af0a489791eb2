"""The HTML report of a VersionDiff: facts changed, word-level diffs, sentences added and removed.

Same safety as the comparison report: Jinja2 autoescaping for every value from an article, a
Content-Security-Policy that forbids scripts and fetches, the report's own stylesheet inline.
"""

from __future__ import annotations

from typing import Any

from ..compare.comparison import Span
from ..compare.diff import VersionDiff
from ._marks import mark_span
from ._words import plural
from .html import CONTENT_SECURITY_POLICY, PALETTE_SIZE, _environment, element_prefix, stylesheet


def _groups(diff: VersionDiff) -> dict[tuple[str, int], int]:
    """Group number of every paired sentence ("old"/"new", index); a split or merge is one group."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    pairs = [*diff.unchanged, *((c.old, c.new) for c in diff.changed)]
    for old, new in sorted(pairs):
        parent[root(("old", old))] = root(("new", new))
    numbers: dict[tuple[str, int], int] = {}
    groups: dict[tuple[str, int], int] = {}
    for node in sorted(parent, key=lambda n: (n[0] != "old", n[1])):
        groups[node] = numbers.setdefault(root(node), len(numbers))
    return groups


def _runs(text: str, marked: list[tuple[str, Span | None]]) -> list[dict[str, Any]]:
    """The sentence as runs of text, the changed facts marked: each at its span when the diff
    knows it, else at the first whole-word occurrence of its value."""
    spans = [found for value, span in marked if (found := mark_span(span, value, text))]
    runs, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        if start > at:
            runs.append({"text": text[at:start], "mark": False})
        runs.append({"text": text[start:end], "mark": True})
        at = end
    if at < len(text):
        runs.append({"text": text[at:], "mark": False})
    return runs


def _columns(diff: VersionDiff) -> list[dict[str, Any]]:
    groups = _groups(diff)
    columns = []
    for side, sentences, alone in (
        ("old", diff.sentences_old, set(diff.removed)),
        ("new", diff.sentences_new, set(diff.added)),
    ):
        marked: dict[int, list[tuple[str, Span | None]]] = {}
        for fact in diff.facts:
            if side == "old":
                index, value, span = fact.a_sentence, fact.a, fact.a_span
            else:
                index, value, span = fact.b_sentence, fact.b, fact.b_span
            marked.setdefault(index, []).append((value, span))
        rows = []
        for index, text in enumerate(sentences):
            group = groups.get((side, index))
            rows.append({
                "label": f"{side} {index + 1}",
                "runs": _runs(text, marked.get(index, [])),
                "colour": None if group is None else group % PALETTE_SIZE,
                "alone": index in alone,
            })  # fmt: skip
        columns.append({"side": side, "rows": rows})
    return columns


def diff_context(diff: VersionDiff) -> dict[str, Any]:
    """Plain values (no markup) the diff template shows."""
    data = diff.to_dict()
    return {
        "prefix": element_prefix(
            "ssd", diff.old.id, diff.new.id, *diff.sentences_old, *diff.sentences_new
        ),
        "page_title": f"samestory diff — {diff.old.title} / {diff.new.title}",
        "old_title": diff.old.title,
        "new_title": diff.new.title,
        "facts": data["facts"],
        "changed": data["changed"],
        "removed": [{"index": i, "text": diff.sentences_old[i]} for i in diff.removed],
        "added": [{"index": i, "text": diff.sentences_new[i]} for i in diff.added],
        "unchanged": len(diff.unchanged),
        "summary": f"{plural(len(diff.facts), 'fact')} changed · "
        f"{plural(len(diff.changed), 'sentence')} changed",
        "inconsistencies": data["inconsistencies"],
        "columns": _columns(diff),
    }


def render_diff_html(diff: VersionDiff) -> str:
    """A standalone HTML page of ``diff`` (no network, no scripts)."""
    context = diff_context(diff)
    context["css"] = stylesheet()
    context["csp"] = CONTENT_SECURITY_POLICY
    return _environment().get_template("diff.html.j2").render(context)
