"""The HTML report of a VersionDiff: facts changed, word-level diffs, sentences added and removed.

Same safety as the comparison report: Jinja2 autoescaping for every value from an article, a
Content-Security-Policy that forbids scripts and fetches, the report's own stylesheet inline.
"""

from __future__ import annotations

from typing import Any

from ..compare.diff import VersionDiff
from .html import CONTENT_SECURITY_POLICY, _environment, stylesheet


def diff_context(diff: VersionDiff) -> dict[str, Any]:
    """Plain values (no markup) the diff template shows."""
    data = diff.to_dict()
    return {
        "page_title": f"samestory diff — {diff.old.title} / {diff.new.title}",
        "old_title": diff.old.title,
        "new_title": diff.new.title,
        "facts": data["facts"],
        "changed": data["changed"],
        "removed": [{"index": i, "text": diff.sentences_old[i]} for i in diff.removed],
        "added": [{"index": i, "text": diff.sentences_new[i]} for i in diff.added],
        "unchanged": len(diff.unchanged),
        "inconsistencies": data["inconsistencies"],
    }


def render_diff_html(diff: VersionDiff) -> str:
    """A standalone HTML page of ``diff`` (no network, no scripts)."""
    context = diff_context(diff)
    context["css"] = stylesheet()
    context["csp"] = CONTENT_SECURITY_POLICY
    return _environment().get_template("diff.html.j2").render(context)
