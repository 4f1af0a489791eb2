"""What the routes call: one library call each, over a store opened per request.

This is the web layer's only door to the store and the models. Listing stories with filters
and paging is not in :mod:`samestory.store` yet, so :func:`list_stories` is a read-only query
over its schema here; it should move into the store when the store grows that method.

The models (spaCy, the sentence encoder, the pair model) are not known to be safe to call from
several threads at once, and on a small machine they use every core anyway, so all model work
goes through one lock: requests that need it queue, the others (lists, pages, health) never wait.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..article import Article
from ..errors import InputError, SamestoryError

if TYPE_CHECKING:
    from ..cluster.story import StoryDetail
    from ..compare import Comparison
    from ..store import Store

MODEL_LOCK = threading.Lock()
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # beyond any store; keeps LIMIT/OFFSET inside SQLite's integers


class NotFoundError(SamestoryError, LookupError):
    """No story or article with that id in the store."""


@dataclass(frozen=True, kw_only=True)
class StoryFilters:
    """Filters of the stories list; ``None`` means no filter on that field."""

    lang: str | None = None
    source: str | None = None
    since: dt.date | None = None  # stories still reported on or after this day
    until: dt.date | None = None  # stories first reported on or before this day
    query: str | None = None  # words in the headline or in a member's title
    page: int = 1
    per_page: int = DEFAULT_PAGE_SIZE

    def __post_init__(self) -> None:
        if not 1 <= self.page <= MAX_PAGE:
            raise InputError("page", f"page must be between 1 and {MAX_PAGE}, got {self.page}")
        if not 1 <= self.per_page <= MAX_PAGE_SIZE:
            raise InputError(
                "per_page", f"per_page must be between 1 and {MAX_PAGE_SIZE}, got {self.per_page}"
            )
        if self.since and self.until and self.since > self.until:
            raise InputError(
                "date range", f"'since' {self.since} is after 'until' {self.until}; swap them"
            )

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("since", "until"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@dataclass(frozen=True, kw_only=True)
class StoryPage:
    stories: list[dict[str, Any]]
    total: int
    filters: StoryFilters

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "stories": self.stories,
            "total": self.total,
            "page": self.filters.page,
            "per_page": self.filters.per_page,
            "pages": self.pages,
            "filters": self.filters.to_dict(),
        }


_STORIES_SQL = """
SELECT s.id, s.headline, count(*) AS size, min(a.published), max(a.published),
       group_concat(DISTINCT a.lang), min(a.seq) AS first_seq
FROM stories s JOIN memberships m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id
WHERE s.merged_into IS NULL
GROUP BY s.id
HAVING (:lang IS NULL OR sum(a.lang = :lang) > 0)
   AND (:source IS NULL OR sum(a.source = :source OR instr(coalesce(a.url, ''), :source) > 0) > 0)
   AND (:since IS NULL OR max(a.published) >= :since)
   AND (:until IS NULL OR min(a.published) <= :until)
   AND (:query IS NULL OR s.headline LIKE :query ESCAPE '\\'
        OR sum(a.title LIKE :query ESCAPE '\\') > 0)
"""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_stories(store: Store, filters: StoryFilters) -> StoryPage:
    """One page of live stories matching ``filters``, largest first."""
    # SQLite's LIKE stops reading a pattern at a NUL, which would match every story
    query = (filters.query or "").replace("\x00", "").strip()
    params = {
        "lang": filters.lang or None,
        "source": filters.source or None,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "query": _like(query) if query else None,
    }
    db = store.connection
    total = int(db.execute(f"SELECT count(*) FROM ({_STORIES_SQL})", params).fetchone()[0])
    rows = db.execute(
        _STORIES_SQL + " ORDER BY size DESC, first_seq LIMIT :limit OFFSET :offset",
        {**params, "limit": filters.per_page, "offset": (filters.page - 1) * filters.per_page},
    )
    stories = [
        {
            "id": r[0],
            "headline": r[1],
            "size": r[2],
            "first_seen": r[3],
            "last_seen": r[4],
            "languages": sorted(filter(None, (r[5] or "").split(","))),
        }
        for r in rows
    ]
    sources = _outlets(store, [story["id"] for story in stories])
    for story in stories:
        story["sources"] = sorted(sources.get(story["id"], ()))
    return StoryPage(stories=stories, total=total, filters=filters)


def _outlets(store: Store, story_ids: list[str]) -> dict[str, set[str]]:
    """The outlets of each story's members, named as the story page and ``samestory stories``
    name them (``store.outlet``: the name a record gives, else an http(s) url's host, else the
    source)."""
    from ..store import outlet

    found: dict[str, set[str]] = {}
    if not story_ids:
        return found
    marks = ",".join("?" * len(story_ids))
    rows = store.connection.execute(
        "SELECT DISTINCT m.story_id, a.url, a.source FROM memberships m "
        f"JOIN articles a ON a.id = m.article_id WHERE m.story_id IN ({marks})",
        story_ids,
    )
    for story_id, url, source in rows:
        if url or source:
            found.setdefault(story_id, set()).add(outlet(url, source))
    return found


def facets(store: Store) -> dict[str, Any]:
    """Counts for the filter controls: languages (articles per language) and totals."""
    db = store.connection
    languages = db.execute(
        "SELECT lang, count(*) FROM articles WHERE lang IS NOT NULL GROUP BY lang "
        "ORDER BY count(*) DESC, lang"
    ).fetchall()
    return {
        "languages": [{"lang": lang, "articles": n} for lang, n in languages],
        "articles": store.article_count(),
        "stories": store.story_count(),
    }


# Story pages by (store, live story id, timeline size, state of the store): a page is read far
# more often than the store changes, and building one runs the models (one lock for all), so
# without this a page view would queue behind every comparison in flight.
_STORY_CACHE: OrderedDict[tuple[Any, ...], StoryDetail] = OrderedDict()
_STORY_CACHE_SIZE = 256
_STORY_CACHE_LOCK = threading.Lock()


def _story_state(store: Store, story_id: str) -> tuple[Any, ...]:
    """Changes whenever the store grows or this story's members change (no stale page).

    The members are listed, not counted: a regrouping can move articles between stories
    without changing any total.
    """
    return tuple(
        store.connection.execute(
            "SELECT (SELECT max(seq) FROM articles), (SELECT count(*) FROM merges), "
            "(SELECT count(*) FROM near_duplicates), "
            "(SELECT group_concat(article_id) FROM "
            " (SELECT article_id FROM memberships WHERE story_id = ? ORDER BY article_id))",
            (story_id,),
        ).fetchone()
    )


def story(store: Store, story_id: str, *, max_compared: int = 20) -> StoryDetail:
    """One story with members, near-copy groups and the fact timeline (may run the models)."""
    from ..cluster.story import story_detail
    from ..store import StoreError, UnknownStoryError

    try:
        live_id = store.resolve(story_id)
    except UnknownStoryError:  # its message names the file and a CLI command: not for web clients
        raise NotFoundError(
            f"no story {story_id!r} (nor one merged into another under that id); "
            "see the list at /stories or GET /api/stories"
        ) from None
    except StoreError as error:  # an ambiguous prefix, or an article's id (with its story)
        raise NotFoundError(str(error)) from None
    key = (store.path, live_id, max_compared, _story_state(store, live_id))
    with _STORY_CACHE_LOCK:
        cached = _STORY_CACHE.get(key)
        if cached is not None:
            _STORY_CACHE.move_to_end(key)
            return cached
    with MODEL_LOCK:
        detail = story_detail(store, story_id, max_compared=max_compared)
    with _STORY_CACHE_LOCK:
        _STORY_CACHE[key] = detail
        while len(_STORY_CACHE) > _STORY_CACHE_SIZE:
            _STORY_CACHE.popitem(last=False)
    return detail


def article(store: Store, article_id: str) -> dict[str, Any]:
    """A stored article as JSON, with its story and near-copy group."""
    found = store.articles([article_id])
    if not found:
        raise NotFoundError(f"no article {article_id!r} in this store")
    data = found[0].to_dict()
    data.pop("meta", None)
    data.pop("dropped", None)  # the store keeps the cleaned text only
    data["story_id"] = _story_of(store, [article_id]).get(article_id)
    data["near_duplicate_group"] = store.near_duplicate_groups().get(article_id)
    return data


def stored_articles(store: Store, ids: Sequence[str]) -> list[Article]:
    found = {a.id: a for a in store.articles(list(ids))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"no article {missing[0]!r} in this store")
    return [found[i] for i in ids]


def compare_articles(a: Article, b: Article) -> Comparison:
    from ..compare import compare

    with MODEL_LOCK:
        return compare(a, b)


def compare_stored(store: Store, a_id: str, b_id: str) -> Comparison:
    """Compare two stored articles, reusing (and filling) the store's analysis cache."""
    from ..cluster.story import cached_analyses
    from ..compare import compare

    first, second = stored_articles(store, [a_id, b_id])
    with MODEL_LOCK:
        left, right = cached_analyses(store, [first, second])
        return compare(left, right)


def ingest(store: Store, articles: list[Article]) -> list[dict[str, Any]]:
    """Store ``articles`` and assign them to stories incrementally; ids and story ids, in order."""
    from ..cluster.pipeline import cluster_articles

    with MODEL_LOCK:
        before = {a.id for a in store.articles([a.id for a in articles])}
        cluster_articles(store, articles)
    stories = _story_of(store, [a.id for a in articles])
    answers = []
    for a in articles:  # an article sent twice in one request is new the first time only
        answers.append({"id": a.id, "story_id": stories.get(a.id), "new": a.id not in before})
        before.add(a.id)
    return answers


def _story_of(store: Store, ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found.update(
            store.connection.execute(
                f"SELECT article_id, story_id FROM memberships WHERE article_id IN ({marks})", chunk
            ).fetchall()
        )
    return found


def warm_up() -> None:
    """Load the models before the first request needs them (a cold start takes seconds)."""
    from ..compare import compare

    with MODEL_LOCK:
        compare(
            Article(text="The models are loaded once, when the server starts, in Paris."),
            Article(text="Models load when the server starts in Paris on Monday."),
        )
