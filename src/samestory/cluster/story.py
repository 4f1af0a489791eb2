"""One story in detail: members, near-copies, and a timeline of facts with contradictions.

The timeline stays cheap: the first report is compared with at most ``max_compared`` later
members (not every pair). Each fact of the first report is credited to it; a later member
whose comparison lists a conflict on that fact is shown as contradicting it. Facts that only
later members give are credited to the earliest member that has them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analyze import Analysis, Mention, analyze_many
from ..analyze.mentions import opens_sentence
from ..article import Article
from ..compare.comparison import Conflict
from ..store import Store, content_hash, outlet

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

FACT_KINDS = ("name", "place", "number", "date")


@dataclass(frozen=True, kw_only=True)
class Member:
    """One article of a story, as the story lists it (``near_duplicate_group``: the id of the
    group's first article when it is a near-copy of others, else None)."""

    id: str
    title: str
    lang: str | None
    published: str | None
    source: str | None
    url: str | None
    near_duplicate_group: str | None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, kw_only=True)
class Fact:
    """A name, place, number or date, the member that reported it first, the members whose
    comparison with the first report gives it differently, and how many members report it."""

    kind: str
    text: str
    first_reported_by: str
    contradicted_by: tuple[tuple[str, str], ...] = ()  # (article id, what it says instead)
    reports: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "first_reported_by": self.first_reported_by,
            "contradicted_by": [{"article": a, "says": s} for a, s in self.contradicted_by],
            "reports": self.reports,
        }


FACTS_SHOWN = 100  # on the terminal, the web page and in a notebook; the JSON has them all


@dataclass(frozen=True, kw_only=True)
class StoryDetail:
    """One story in detail: what ``samestory story --format json`` and ``GET /api/stories/{id}``
    return (``to_dict()``), shown as rich HTML in a notebook and as a DataFrame by
    ``to_frame()``."""

    id: str
    headline: str
    members: tuple[Member, ...]
    languages: tuple[str, ...]
    sources: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    near_duplicate_groups: tuple[tuple[str, ...], ...]
    merged_ids: tuple[str, ...]
    timeline: tuple[Fact, ...] = field(default=())
    compared: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "size": len(self.members),
            "languages": list(self.languages),
            "sources": list(self.sources),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "members": [m.to_dict() for m in self.members],
            "near_duplicate_groups": [list(g) for g in self.near_duplicate_groups],
            "merged_ids": list(self.merged_ids),
            "timeline": [f.to_dict() for f in self.timeline],
            "compared": self.compared,
        }

    def shown_facts(self, limit: int = FACTS_SHOWN) -> tuple[tuple[Fact, ...], str]:
        """The facts a report of the story shows, and a note on those it leaves out ("" when
        none).

        With several members, a fact told by one report only is left out unless another
        contradicts it: a story's reports each bring dozens of names and numbers (a line-up,
        a results table), and what a reader looks for is what several of them tell, and
        where they differ. At most ``limit`` facts, in the timeline's order.
        """
        from ..render._words import plural

        if len(self.members) > 1:
            kept = [f for f in self.timeline if f.contradicted_by or f.reports > 1]
        else:
            kept = list(self.timeline)
        left_out = []
        if single := len(self.timeline) - len(kept):
            left_out.append(f"{plural(single, 'fact')} told by one report only")
        if len(kept) > limit:
            left_out.append(f"{len(kept) - limit} more past the first {limit}")
        return tuple(kept[:limit]), "left out: " + ", ".join(left_out) if left_out else ""

    def _repr_html_(self) -> str:
        from ..render.html import render_story_html

        return render_story_html(self)

    def to_frame(self, part: str = "members") -> pd.DataFrame:
        """A pandas DataFrame: ``"members"`` (one row per article, oldest first, indexed by
        id) or ``"timeline"`` (one row per fact, with who contradicts it).

        Needs pandas (``pip install 'samestory[notebook]'``); raises
        :class:`~samestory.errors.MissingDependencyError` without it.
        """
        from ..render.frames import story_frame

        return story_frame(self, part)


def _outlet(article: Article) -> str | None:
    """The article's site, named as `samestory stories` names it."""
    return outlet(article.url, article.source) if article.url or article.source else None


def cached_analyses(store: Store, articles: list[Article]) -> list[Analysis]:
    """Full analyses, read from the store's cache or computed once and cached.

    A cached analysis is the whole of what ``analyze_many`` gives without e5, entity vectors
    included: a pair scored from the cache scores as it did when first analysed (an entry
    written without them, before 2026-12, is computed again).
    """
    out: dict[str, Analysis] = {}
    missing = []
    for article in articles:
        digest = content_hash(article)
        cached = store.analysis(digest)
        if cached is None or "entities" not in cached[0]:
            missing.append(article)
            continue
        payload, vectors = cached
        sentences = tuple(payload["sentences"])
        first_entity = 3 + len(sentences)
        out[article.id] = Analysis(
            article=article,
            lang=payload["lang"],
            sentences=sentences,
            mentions=tuple(Mention(**m) for m in payload["mentions"]),
            document_vector=vectors[0],
            title_vector=vectors[1],
            lead_vector=vectors[2],
            sentence_vectors=vectors[3:first_entity],
            entities=tuple(payload["entities"]),
            entity_vectors=vectors[first_entity:],
        )
    for analysis in analyze_many(missing) if missing else []:
        width = analysis.document_vector.shape[0]
        vectors = np.vstack(
            [
                analysis.document_vector,
                analysis.title_vector,
                analysis.lead_vector,
                analysis.sentence_vectors.reshape(-1, width),
                analysis.entity_vectors.reshape(-1, width),
            ]
        )
        payload = {
            "lang": analysis.lang,
            "sentences": list(analysis.sentences),
            "mentions": [dataclasses.asdict(m) for m in analysis.mentions],
            "entities": list(analysis.entities),
        }
        store.put_analysis(content_hash(analysis.article), payload, vectors)
        out[analysis.article.id] = analysis
    return [out[a.id] for a in articles]


def _chronological(articles: list[Article]) -> list[Article]:
    """By publication date (undated last), keeping the order added among equals."""
    far = dt.date.max
    return sorted(articles, key=lambda a: a.published or far)


def _compared_members(
    articles: list[Article], groups_of: dict[str, str], max_compared: int
) -> list[Article]:
    """The first report and up to ``max_compared`` later members, in chronological order.

    An exact copy of a text already chosen adds nothing. Near-copies do: an update that
    changed a number or a day is a near-copy of the report it corrects. So the first member
    of each near-copy group (and every member outside a group) comes first, then the other
    near-copies, until ``max_compared`` is reached.
    """
    texts: set[str] = set()
    groups: set[str] = set()
    first_pass: list[int] = []
    second_pass: list[int] = []
    for index, article in enumerate(articles):
        text = content_hash(article)
        if text in texts:
            continue
        texts.add(text)
        group = groups_of.get(article.id)
        (second_pass if group is not None and group in groups else first_pass).append(index)
        if group is not None:
            groups.add(group)
    chosen = sorted((first_pass + second_pass)[: max_compared + 1])
    return [articles[i] for i in chosen]


def story_detail(store: Store, story_id: str, *, max_compared: int = 20) -> StoryDetail:
    """What ``samestory story`` shows; compares the first report with ≤ max_compared others."""
    live = store.resolve(story_id)
    ids = store.story_members(live)
    articles = _chronological(store.articles(ids))
    groups_of = store.near_duplicate_groups()
    members = tuple(
        Member(
            id=a.id,
            title=a.title or a.text.split("\n", 1)[0][:120],
            lang=a.lang,
            published=a.published.isoformat() if a.published else None,
            source=a.source,
            url=a.url,
            near_duplicate_group=groups_of.get(a.id),
        )
        for a in articles
    )
    grouped: dict[str, list[str]] = {}
    for member in members:
        if member.near_duplicate_group:
            grouped.setdefault(member.near_duplicate_group, []).append(member.id)
    dates = [m.published for m in members if m.published]
    headline_row = store.connection.execute(
        "SELECT headline FROM stories WHERE id = ?", (live,)
    ).fetchone()

    timeline: list[Fact] = []
    compared = 0
    if articles:
        chosen = _compared_members(articles, groups_of, max_compared)
        analyses = cached_analyses(store, chosen)
        timeline = _timeline(analyses)
        compared = len(chosen) - 1
    return StoryDetail(
        id=live,
        headline=headline_row[0] if headline_row else "",
        members=members,
        languages=tuple(sorted({m.lang for m in members if m.lang})),
        sources=tuple(sorted({s for a in articles if (s := _outlet(a))})),
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        near_duplicate_groups=tuple(tuple(g) for g in grouped.values() if len(g) > 1),
        merged_ids=tuple(store.merged_ids(live)),
        timeline=tuple(timeline),
        compared=compared,
    )


def conflicts_with(first: Analysis, later: Analysis) -> list[Conflict]:
    """The conflicts ``compare`` reports, without scoring the pair (no model needed)."""
    from ..compare import CompareOptions
    from ..compare.align import AlignOptions, align
    from ..compare.conflicts import find_conflicts
    from ..compare.features import sentence_similarity

    if len(first.sentences) * len(later.sentences) > CompareOptions.max_sentence_pairs:
        return []  # too long to align in memory (a dump, not a report): no facts to set
    alignment, _, _ = align(first, later, sentence_similarity(first, later), AlignOptions())
    conflicts, _ = find_conflicts(first, later, alignment)
    return list(conflicts)


def _timeline(analyses: list[Analysis]) -> list[Fact]:
    first = analyses[0]
    # keyed by the text as written: a misspelt place ("Las Cruses") is a conflict of kind
    # "place" while the gazetteer cannot place the misspelling, so its mention is a "name"
    contradictions: dict[str, list[tuple[str, str]]] = {}
    for later in analyses[1:]:
        for conflict in conflicts_with(first, later):
            contradictions.setdefault(conflict.a, []).append((later.article.id, conflict.b))
    facts: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    reports: Counter[tuple[str, str]] = Counter()
    for analysis in analyses:
        reports.update({(m.kind, m.value) for m in analysis.mentions})
    # a lone capitalised word that only ever opens a sentence is more often a verb or a
    # pronoun ("Mueren", "Nuestros", "Agregó") than a name: it is left off the timeline
    inside = {
        m.value
        for a in analyses
        for m in a.mentions
        if m.kind == "name" and not opens_sentence(a.sentences[m.sentence], m.start)
    }
    for analysis in analyses:  # chronological: the first to mention a fact reported it first
        for mention in analysis.mentions:
            key = (mention.kind, mention.value)
            if mention.kind not in FACT_KINDS or key in seen:
                continue
            if mention.kind == "name" and " " not in mention.text and mention.value not in inside:
                continue
            seen.add(key)
            against = contradictions.get(mention.text, []) if analysis is first else []
            facts.append(
                Fact(
                    kind=mention.kind,
                    text=mention.text,
                    first_reported_by=analysis.article.id,
                    contradicted_by=tuple(against),
                    reports=reports[key],
                )
            )
    return facts


SOURCES_SHOWN = 15  # on the terminal; the JSON and the web page list them all


def render_story(detail: StoryDetail, console: Console | None = None) -> None:
    """The story on the terminal (rich)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..render._words import plural
    from ..render.tables import list_table, shorten

    console = console or Console()
    console.print(Text(detail.headline, style="bold"), f"  ({detail.id})", sep="")
    console.print(
        f"{plural(len(detail.members), 'article')}, languages {', '.join(detail.languages) or '-'}, "
        f"first seen {detail.first_seen or '-'}, last seen {detail.last_seen or '-'}"
    )
    if detail.merged_ids:
        console.print(Text(f"absorbed stories: {', '.join(detail.merged_ids)}"))
    if detail.sources:
        named = detail.sources[:SOURCES_SHOWN]
        more = len(detail.sources) - len(named)
        console.print(Text(f"sources: {', '.join(named)}" + (f" and {more} more" if more else "")))
    cells = [
        (
            m.id,
            m.published or "",
            m.lang or "",
            m.near_duplicate_group if m.near_duplicate_group not in (None, m.id) else "",
            shorten(m.title, 90),
        )
        for m in detail.members
    ]
    # ids are copied into other commands: never wrap them
    columns = ("id", "published", "lang", "near-copy of", "title")
    members = list_table("members", columns, cells, no_wrap=("id", "near-copy of"))
    console.print(members)
    shown, left_out = detail.shown_facts()
    if shown:
        facts = Table(
            title=f"facts (first report compared with {plural(detail.compared, 'other')})",
            caption=f"{left_out}; `-f json` lists every fact" if left_out else None,
        )
        for column in ("kind", "fact", "reports", "first reported by", "contradicted by"):
            facts.add_column(
                column, overflow="fold", justify="right" if column == "reports" else "left"
            )
        for fact in shown:
            against = "; ".join(f"{a} says {s!r}" for a, s in fact.contradicted_by)
            facts.add_row(
                fact.kind, Text(fact.text), str(fact.reports), fact.first_reported_by, Text(against)
            )
        console.print(facts)
    elif left_out:
        console.print(Text(f"facts {left_out}; `-f json` lists every fact"))
