"""The HTML report of a Comparison: both reports side by side, pairs in matching colours.

Everything from an article (text, titles, sources, dropped lines) goes through Jinja2's
autoescaping: templates never mark article text safe, and article URLs are shown as text, never
put in an ``href``. The standalone page also carries a Content-Security-Policy that forbids
scripts and every network fetch, so a report opened from disk stays inert even if a value were
ever left unescaped. Nothing is loaded from the network; the page needs no JavaScript.

``comparison_context`` and ``stylesheet`` are the pieces the web pages reuse: include
``_comparison.html.j2`` with that context and put the stylesheet in the page head.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ..compare.comparison import DIMENSIONS, Comparison, DocumentSummary
from ._marks import (
    aligned_groups,
    plain_reason,
    probability_text,
    score_label,
    score_level,
    segments,
    sentence_marks,
    similarity_share,
)
from ._words import plural

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..cluster.story import StoryDetail

PALETTE_SIZE = 8  # colours for aligned groups, see comparison.css; neighbours never share one

# Forbids scripts, frames, fonts, images from anywhere and any fetch: the report is self-contained.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("samestory.render", "templates"),
        autoescape=True,  # every template, whatever its file name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet() -> str:
    """The report's CSS; every rule is scoped under ``.ssr`` so it cannot restyle a host page."""
    from importlib import resources

    return (
        resources.files("samestory.render")
        .joinpath("templates/comparison.css")
        .read_text(encoding="utf-8")
    )


def render_comparison_html(comparison: Comparison, standalone: bool = True) -> str:
    """A side-by-side HTML report: a full page, or a fragment (Jupyter's ``_repr_html_``)."""
    context = comparison_context(comparison)
    context["css"] = stylesheet()
    if standalone:
        context["csp"] = CONTENT_SECURITY_POLICY
        return _environment().get_template("comparison.html.j2").render(context)
    return _environment().get_template("_comparison_fragment.html.j2").render(context)


def comparison_context(comparison: Comparison, id_prefix: str | None = None) -> dict[str, Any]:
    """Everything the templates show, as plain values (no markup): the view of one Comparison.

    ``id_prefix`` keeps element ids unique when several reports share a page (a notebook);
    by default it is derived from the content, so the same comparison renders the same bytes.
    """
    prefix = id_prefix or _default_prefix(comparison)
    marks = sentence_marks(comparison)
    groups = aligned_groups(comparison)
    partners: dict[tuple[str, int], list[dict[str, Any]]] = {}
    details: dict[tuple[str, int], dict[str, list[str]]] = {}
    for pair in sorted(comparison.alignment, key=lambda p: (p.a, p.b)):
        partners.setdefault(("a", pair.a), []).append(
            {"id": f"{prefix}-b-{pair.b}", "label": f"B{pair.b + 1}", "similarity": pair.similarity}
        )
        partners.setdefault(("b", pair.b), []).append(
            {"id": f"{prefix}-a-{pair.a}", "label": f"A{pair.a + 1}", "similarity": pair.similarity}
        )
        details.setdefault(("b", pair.b), {"adds": [], "gives": []})["adds"].extend(pair.adds)
        details.setdefault(("a", pair.a), {"adds": [], "gives": []})["gives"].extend(pair.removes)
    # A value the reports give differently is a conflict, listed and marked as one: it is not
    # also a detail one sentence adds or leaves out. A sentence aligned with several others
    # lists each detail once.
    in_conflict = {v.casefold() for c in comparison.conflicts for v in (c.a, c.b)}
    for lists in details.values():
        for name, values in lists.items():
            lists[name] = _distinct(v for v in values if v.casefold() not in in_conflict)

    def sentence_view(side: str, index: int, text: str, only: set[int]) -> dict[str, Any]:
        key = (side, index)
        runs: list[dict[str, Any]] = []
        for run, mark in segments(text, marks.get(key, [])):
            if mark is None:
                runs.append({"text": run, "mark": None})
            else:
                runs.append(
                    {
                        "text": run,
                        "mark": {
                            "kind": mark.kind,
                            "note": mark.note,
                            "other": mark.other,
                            "target": f"{prefix}-{mark.target}" if mark.target else "",
                        },
                    }
                )
        group = groups.get(key)
        return {
            "id": f"{prefix}-{side}-{index}",
            "label": f"{side.upper()}{index + 1}",
            "runs": runs,
            "group": group,
            "colour": None if group is None else group % PALETTE_SIZE,
            "partners": partners.get(key, []),
            "only": index in only,
            "adds": details.get(key, {}).get("adds", []),
            "gives": details.get(key, {}).get("gives", []),
        }

    sides = []
    for side, doc, sentences, only in (
        ("a", comparison.a, comparison.sentences_a, set(comparison.only_a)),
        ("b", comparison.b, comparison.sentences_b, set(comparison.only_b)),
    ):
        sides.append(
            {
                "side": side.upper(),
                "doc": _doc_view(doc),
                "sentences": [
                    # the headline is the first sentence when the report has one
                    {**sentence_view(side, i, s, only), "headline": i == 0 and s == doc.title}
                    for i, s in enumerate(sentences)
                ],
                "only_count": len(only),
                "sentence_count": plural(len(sentences), "sentence"),
            }
        )

    def link(side: str, index: int) -> dict[str, str]:
        return {"id": f"{prefix}-{side}-{index}", "label": f"{side.upper()}{index + 1}"}

    conflicts = [
        {
            "id": f"{prefix}-conflict-{n + 1}",
            "kind": c.kind,
            "a": c.a,
            "b": c.b,
            "a_link": link("a", c.a_sentence),
            "b_link": link("b", c.b_sentence),
            "reason": c.reason,
        }
        for n, c in enumerate(comparison.conflicts)
    ]
    inconsistencies = [
        {
            "id": f"{prefix}-inconsistency-{n + 1}",
            "doc": i.doc.upper(),
            "kind": i.kind,
            "entries": [
                {"value": value, "link": link(i.doc, index)}
                for value, index in zip(i.values, i.sentences, strict=False)
            ],
            "reason": i.reason,
        }
        for n, i in enumerate(comparison.inconsistencies)
    ]
    scores = []
    for name in DIMENSIONS:
        score = float(getattr(comparison.scores, name))
        scores.append(
            {
                "name": name.capitalize(),
                "score": score,
                "label": score_label(score),
                "percent": round(similarity_share(score) * 100),
                "level": score_level(score),  # the band of the label beside it
                "reason": plain_reason(comparison.reasons.get(name, "")),
            }
        )
    return {
        "prefix": prefix,
        "same_event": comparison.same_event,
        "probability": comparison.same_event_probability,
        "probability_text": probability_text(
            comparison.same_event_probability, comparison.same_event_threshold
        ),
        "overall": comparison.scores.overall,
        "overall_label": score_label(comparison.scores.overall),
        "scores": scores,
        "sides": sides,
        "aligned_count": len(comparison.alignment),
        "aligned_pairs": plural(len(comparison.alignment), "pair"),
        "group_count": len(set(groups.values())),
        "conflicts": conflicts,
        "inconsistencies": inconsistencies,
        "dropped": [
            {"side": "A", "lines": list(comparison.a.dropped)},
            {"side": "B", "lines": list(comparison.b.dropped)},
        ],
        "model_version": comparison.model_version,
        "page_title": _page_title(comparison),
    }


def _distinct(values: Iterable[str]) -> list[str]:
    """Each value once, in first-seen order (compared without regard to case)."""
    seen: set[str] = set()
    out = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def _doc_view(doc: DocumentSummary) -> dict[str, Any]:
    facts = [doc.lang or "?", f"{doc.chars:,} characters"]
    if doc.published:
        facts.append(doc.published)
    if doc.source:
        facts.append(doc.source if "://" in doc.source else PurePath(doc.source).name)
    return {"title": doc.title, "facts": facts, "dropped": len(doc.dropped)}


def _page_title(comparison: Comparison) -> str:
    verdict = "same event" if comparison.same_event else "different events"
    first = comparison.a.title or "report A"
    second = comparison.b.title or "report B"
    return f"samestory: {verdict} — {first} / {second}"


def _default_prefix(comparison: Comparison) -> str:
    return element_prefix(
        "ss", comparison.a.id, comparison.b.id, *comparison.sentences_a, *comparison.sentences_b
    )


def element_prefix(tag: str, *parts: str) -> str:
    """A prefix of element ids unique to one report (its ids and sentences): several reports
    may share a page (a notebook)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part.encode("utf-8", "replace") + b"\0")
    return tag + digest.hexdigest()[:6]


def render_story_html(detail: StoryDetail) -> str:
    """A story as an HTML fragment in the report's look (Jupyter's ``_repr_html_``)."""
    context = story_context(detail)
    context["css"] = stylesheet()
    return _environment().get_template("_story_fragment.html.j2").render(context)


def story_context(detail: StoryDetail) -> dict[str, Any]:
    """Everything the story fragment shows, as plain values: members, copies, timeline."""
    titles = {m.id: m.title for m in detail.members}
    by_reporter: dict[str, list[dict[str, Any]]] = {}
    shown, left_out = detail.shown_facts()
    for fact in shown:
        by_reporter.setdefault(fact.first_reported_by, []).append(
            {
                "kind": fact.kind,
                "text": fact.text,
                "against": [(titles.get(who, who), says) for who, says in fact.contradicted_by],
            }
        )
    digest = hashlib.sha1(detail.id.encode("utf-8", "replace"), usedforsecurity=False)
    return {
        "prefix": "ss" + digest.hexdigest()[:6],
        "id": detail.id,
        "headline": detail.headline,
        "size": len(detail.members),
        "languages": list(detail.languages),
        "sources": list(detail.sources),
        "first_seen": detail.first_seen,
        "last_seen": detail.last_seen,
        "merged_ids": list(detail.merged_ids),
        "members": [
            {
                "id": m.id,
                "title": m.title,
                "published": m.published,
                "lang": m.lang,
                "source": m.source,
                "near_copy": m.near_duplicate_group not in (None, m.id),
            }
            for m in detail.members
        ],
        "groups": [[titles.get(i, i) for i in group] for group in detail.near_duplicate_groups],
        "timeline": [
            {"published": m.published, "title": m.title, "facts": by_reporter[m.id]}
            for m in detail.members
            if m.id in by_reporter
        ],
        "contradictions": sum(len(f.contradicted_by) for f in detail.timeline),
        "left_out": left_out,
        "compared": detail.compared,
    }
