"""The SQLite store: articles, cached analyses, near-duplicate groups, stories and merges.

One file, WAL mode, a versioned schema (``PRAGMA user_version``) upgraded by the migrations
below in order. Articles are deduplicated by id; vectors are cached by content hash (title and
text, not the url), so the same text read from two places is embedded once. Story ids never
change: a story absorbed by another keeps a row with ``merged_into`` set, so its id still
resolves. Every write is idempotent, so a run killed at any moment can simply be repeated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import numpy as np

from .analyze import ANALYSIS_VERSION
from .article import Article, normalize_text
from .errors import OptionsError, SamestoryError

try:
    import fcntl
except ImportError:  # Windows: no advisory file locks; run one writer at a time there
    fcntl = None  # type: ignore[assignment]

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "StoryRow", "content_hash", "open_store"]

# Each entry upgrades the schema by one version; never edit one that has shipped, add another.
MIGRATIONS: tuple[str, ...] = (
    # 1: articles, clustering vectors, near-duplicates, stories, memberships, merges
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        lang TEXT,
        published TEXT,
        url TEXT,
        author TEXT,
        source TEXT,
        added_at TEXT NOT NULL
    );
    CREATE INDEX articles_content_hash ON articles(content_hash);
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE vectors (
        content_hash TEXT NOT NULL,
        kind TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (content_hash, kind)
    ) WITHOUT ROWID;
    CREATE TABLE minhashes (
        content_hash TEXT PRIMARY KEY,
        signature BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE near_duplicates (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        group_id TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX near_duplicates_group ON near_duplicates(group_id);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        headline TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        merged_into TEXT REFERENCES stories(id)
    );
    CREATE TABLE memberships (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL REFERENCES stories(id)
    ) WITHOUT ROWID;
    CREATE INDEX memberships_story ON memberships(story_id);
    CREATE TABLE merges (
        old_id TEXT NOT NULL REFERENCES stories(id),
        new_id TEXT NOT NULL REFERENCES stories(id),
        similarity REAL,
        merged_at TEXT NOT NULL,
        PRIMARY KEY (old_id)
    );
    """,
    # 2: full analyses (sentences, mentions, sentence vectors) for story timelines
    """
    CREATE TABLE analyses (
        content_hash TEXT PRIMARY KEY,
        lang TEXT NOT NULL,
        sentences TEXT NOT NULL,
        mentions TEXT NOT NULL,
        vectors BLOB NOT NULL
    ) WITHOUT ROWID;
    """,
    # 3: settings that must stay fixed across runs (threshold, fitted lexical model)
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) WITHOUT ROWID;
    """,
    # 4: the names and places an analysis embedded (their vectors follow the sentences');
    # NULL in rows written before: those are analysed again when read
    """
    ALTER TABLE analyses ADD COLUMN entities TEXT;
    """,
    # 5: the analysis version that wrote each row (``analyze.ANALYSIS_VERSION``); a row of
    # another version (or NULL, written before) is analysed again when read
    """
    ALTER TABLE analyses ADD COLUMN version TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
# A story may be named by the start of its id ("s4fb2" for "s4fb2ad8ea4e0"), this long at least.
MIN_ID_PREFIX = 2
PREFIX_MATCHES_READ = 50  # ids a prefix is checked against (beyond: it is ambiguous)
PREFIX_MATCHES_SHOWN = 5  # ids an ambiguous prefix's error names
VECTOR_DTYPE = np.float32


class StoreError(SamestoryError, RuntimeError):
    """The store file cannot be opened or does not match this version of samestory."""


class UnknownStoryError(StoreError, LookupError):
    """No story has that id, or starts with it, in the store."""


def content_hash(article: Article) -> str:
    """Hash of what gets embedded (title and text): equal texts share cached analyses."""
    key = normalize_text(article.title) + "\x00" + normalize_text(article.text)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _to_blob(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=VECTOR_DTYPE).tobytes()


@dataclass(frozen=True, kw_only=True)
class StoryRow:
    id: str
    headline: str
    size: int
    first_seen: str | None
    last_seen: str | None
    languages: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "size": self.size,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "languages": list(self.languages),
            "sources": list(self.sources),
        }


class _ClosedConnection:
    """Stands in for the connection of a closed store: any use says what to do."""

    def __init__(self, path: str) -> None:
        self._path = path

    def __getattr__(self, name: str) -> Any:
        raise StoreError(
            f"the store {self._path} is closed; open it again with open_store({self._path!r})"
        )


class Store:
    """A samestory database. Open with :func:`open_store`; use as a context manager."""

    def __init__(
        self, connection: sqlite3.Connection, path: str, *, readonly: bool = False
    ) -> None:
        self.connection = connection
        self.path = path
        self.readonly = readonly
        self._lock_depth = 0

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the database; the store cannot be used after (a second close is harmless)."""
        if isinstance(self.connection, sqlite3.Connection):
            self.connection.close()
            self.connection = cast("sqlite3.Connection", _ClosedConnection(self.path))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside is committed together or not at all."""
        if self.readonly:
            raise StoreError(
                f"{self.path} was opened read-only; open it with open_store(path) to write"
            )
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    @contextmanager
    def exclusive(self, on_wait: Callable[[], object] | None = None) -> Iterator[None]:
        """Hold the store's writer lock: one process at a time computes and records stories.

        Storing articles needs no such lock (each insert is atomic and idempotent); linking
        does: it reads the whole store, works for a while, and writes a result that is only
        right for what it read, so two ``samestory add`` (or an add and the server) doing it
        at once would each link the other's half-processed articles. The lock is a file next
        to the store (``flock``: released by the system when a process dies, even by SIGKILL);
        it is reentrant within one Store. ``on_wait`` is called once when another process
        holds the lock, before waiting for it (to tell the user why nothing moves).
        """
        if self._lock_depth or self.path in ("", ":memory:") or fcntl is None:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        with open(self.path + ".lock", "a+b") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # waits for the other writer
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    # -- articles --------------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> int:
        """Insert articles not stored yet (by id), in one transaction; returns how many were new."""
        rows = [
            (
                a.id, content_hash(a), a.title, a.text, a.lang,
                a.published.isoformat() if a.published else None,
                a.url, a.author, a.source, _now(),
            )
            for a in articles
        ]  # fmt: skip
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO articles (id, content_hash, title, text, lang, published, "
                "url, author, source, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            return db.total_changes - before

    def article_count(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM articles").fetchone()[0])

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Stored articles in the order they were added (or the given ``ids``, in that order)."""
        columns = "id, title, text, lang, published, url, author, source"
        if ids is None:
            rows = self.connection.execute(f"SELECT {columns} FROM articles ORDER BY seq")
            return [_article(row) for row in rows]
        by_id = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self.connection.execute(
                f"SELECT {columns} FROM articles WHERE id IN ({marks})", chunk
            ):
                by_id[row[0]] = _article(row)
        return [by_id[i] for i in ids if i in by_id]

    def article_index(self) -> list[tuple[str, str, str | None]]:
        """(id, content_hash, published) of every article, in the order added."""
        return list(
            self.connection.execute("SELECT id, content_hash, published FROM articles ORDER BY seq")
        )

    def text_lengths(self) -> list[int]:
        """Length of each article's text, in the order added (as ``article_index``)."""
        sql = "SELECT length(text) FROM articles ORDER BY seq"
        return [int(r[0]) for r in self.connection.execute(sql)]

    def unassigned_ids(self) -> list[str]:
        """Articles not yet in any story, in the order added."""
        return [
            row[0]
            for row in self.connection.execute(
                "SELECT a.id FROM articles a LEFT JOIN memberships m ON m.article_id = a.id "
                "WHERE m.article_id IS NULL ORDER BY a.seq"
            )
        ]

    # -- cached vectors and signatures -----------------------------------------------------
    def missing_hashes(self, table: str, kind: str | None = None) -> list[str]:
        """Content hashes of stored articles with no row in ``table`` (for ``kind``) yet.

        In the order the articles were added. Reads the content-hash index, not the
        articles table (whose rows hold the texts): at 100k articles 0.06-0.7 s, not 2-3 s.
        """
        if table == "vectors":
            condition = "c.content_hash = a.content_hash AND c.kind = ?"
            parameters: tuple[str, ...] = (kind or "",)
        elif table == "minhashes":
            condition, parameters = "c.content_hash = a.content_hash", ()
        elif table == "analyses":  # an analysis of another version counts as missing
            condition = "c.content_hash = a.content_hash AND c.version = ?"
            parameters = (ANALYSIS_VERSION,)
        else:
            raise OptionsError(f"unknown cache table {table!r}; use vectors, minhashes or analyses")
        sql = (
            "SELECT a.content_hash, min(a.seq) AS first "
            "FROM articles a INDEXED BY articles_content_hash "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} c WHERE {condition}) "
            "GROUP BY a.content_hash ORDER BY first"
        )
        return [r[0] for r in self.connection.execute(sql, parameters)]

    def texts_for_hashes(self, hashes: Sequence[str]) -> dict[str, tuple[str, str]]:
        """(title, text) for each content hash."""
        found: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(hashes), 500):
            marks = ",".join("?" * len(chunk))
            for h, title, text in self.connection.execute(
                f"SELECT content_hash, title, text FROM articles WHERE content_hash IN ({marks})",
                chunk,
            ):
                found.setdefault(h, (title, text))
        return found

    def put_vectors(self, kind: str, vectors: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (content_hash, kind, vector) VALUES (?, ?, ?)",
                [(h, kind, _to_blob(v)) for h, v in vectors.items()],
            )

    def drop_vectors_except(self, prefix: str, keep: str) -> None:
        """Delete cached vectors whose kind starts with ``prefix``, except kind ``keep``."""
        with self.transaction() as db:
            db.execute("DELETE FROM vectors WHERE kind LIKE ? AND kind != ?", (prefix + "%", keep))

    def vectors(self, kind: str, hashes: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """Cached vectors of ``kind`` by content hash (all of them when ``hashes`` is None)."""
        out: dict[str, np.ndarray] = {}
        if hashes is None:
            rows: Iterable[tuple[str, bytes]] = self.connection.execute(
                "SELECT content_hash, vector FROM vectors WHERE kind = ?", (kind,)
            )
            for h, blob in rows:
                out[h] = np.frombuffer(blob, dtype=VECTOR_DTYPE)
            return out
        for chunk in _chunks(list(hashes), 500):
            marks = ",".join("?" * len(chunk))
            for h, blob in self.connection.execute(
                "SELECT content_hash, vector FROM vectors "
                f"WHERE kind = ? AND content_hash IN ({marks})",
                [kind, *chunk],
            ):
                out[h] = np.frombuffer(blob, dtype=VECTOR_DTYPE)
        return out

    def put_signatures(self, signatures: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO minhashes (content_hash, signature) VALUES (?, ?)",
                [(h, np.asarray(s, dtype=np.uint32).tobytes()) for h, s in signatures.items()],
            )

    def signatures(self) -> dict[str, np.ndarray]:
        return {
            h: np.frombuffer(blob, dtype=np.uint32)
            for h, blob in self.connection.execute("SELECT content_hash, signature FROM minhashes")
        }

    def put_analysis(self, digest: str, payload: dict[str, Any], vectors: np.ndarray) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO analyses "
                "(content_hash, lang, sentences, mentions, vectors, entities, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (digest, payload["lang"], json.dumps(payload["sentences"]),
                 json.dumps(payload["mentions"]), _to_blob(vectors),
                 json.dumps(payload["entities"]) if "entities" in payload else None,
                 ANALYSIS_VERSION),
            )  # fmt: skip

    def analysis(self, digest: str) -> tuple[dict[str, Any], np.ndarray] | None:
        """The cached analysis of a content hash, or None when there is none of this version.

        An entry written by another analysis version (older mention rules, say) is treated as
        missing, so the caller analyses the text again and overwrites it.
        """
        row = self.connection.execute(
            "SELECT lang, sentences, mentions, vectors, entities, version FROM analyses "
            "WHERE content_hash = ?",
            (digest,),
        ).fetchone()
        if row is None or row[5] != ANALYSIS_VERSION:
            return None
        payload = {"lang": row[0], "sentences": json.loads(row[1]), "mentions": json.loads(row[2])}
        if row[4] is not None:
            payload["entities"] = json.loads(row[4])
        return payload, np.frombuffer(row[3], dtype=VECTOR_DTYPE).reshape(-1, _DIM)

    # -- settings --------------------------------------------------------------------------
    def setting(self, key: str) -> bytes | None:
        row = self.connection.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_settings(self, values: dict[str, bytes]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", list(values.items())
            )

    # -- near-duplicates -------------------------------------------------------------------
    def near_duplicate_groups(self) -> dict[str, str]:
        """article id -> group id (the group's earliest article) for every near-copy."""
        return dict(self.connection.execute("SELECT article_id, group_id FROM near_duplicates"))

    # -- stories ---------------------------------------------------------------------------
    def resolve(self, story_id: str) -> str:
        """The live id of a story: follows merges, so an absorbed story's id still works.

        A prefix of an id works as the id does when it leads to one live story, or when it
        starts exactly one live story's id (the others it starts being absorbed ones);
        otherwise the error names the ids it starts.
        """
        seen = set()
        current = story_id
        while True:
            row = self.connection.execute(
                "SELECT merged_into FROM stories WHERE id = ?", (current,)
            ).fetchone()
            if row is None:
                if current == story_id and story_id:
                    found = self._resolve_prefix(story_id)
                    if found is not None:
                        return found
                if current == story_id:
                    member = self.connection.execute(
                        "SELECT story_id FROM memberships WHERE article_id = ?", (story_id,)
                    ).fetchone()
                    if member is not None:
                        raise StoreError(
                            f"{story_id!r} is an article id, not a story id; its story is "
                            f"{self.resolve(str(member[0]))}"
                        )
                raise UnknownStoryError(
                    f"no story {story_id!r} in {self.path}; list them with "
                    f"`samestory stories --db {self.path}`"
                )
            if row[0] is None or current in seen:
                return current
            seen.add(current)
            current = row[0]

    def _resolve_prefix(self, prefix: str) -> str | None:
        """The live story ``prefix`` stands for; None when it starts no id; a ``StoreError``
        naming the ids it starts when it stands for none of them alone."""
        # compared exactly (LIKE would ignore case and read % and _); absorbed stories too:
        # their prefixes work as their full ids do
        where = "FROM stories WHERE substr(id, 1, ?) = ?"
        key = (len(prefix), prefix)
        total = int(self.connection.execute(f"SELECT count(*) {where}", key).fetchone()[0])
        if total == 0:
            return None
        # live ones first: they are the ones a prefix most likely means
        matches = self.connection.execute(
            f"SELECT id, merged_into {where} ORDER BY merged_into IS NOT NULL, id LIMIT ?",
            (*key, PREFIX_MATCHES_READ),
        ).fetchall()
        if len(prefix) >= MIN_ID_PREFIX:
            live = [str(i) for i, merged in matches if merged is None]
            if len(live) == 1:  # one live story, any others absorbed (into it or not)
                return live[0]
            if not live and total <= PREFIX_MATCHES_READ:
                survivors = {self.resolve(str(i)) for i, _ in matches}
                if len(survivors) == 1:  # every id it starts leads to one live story
                    return survivors.pop()
        shown = ", ".join(
            str(i) if merged is None else f"{i} (absorbed into {self.resolve(str(i))})"
            for i, merged in matches[:PREFIX_MATCHES_SHOWN]
        )
        more = total - min(total, PREFIX_MATCHES_SHOWN)
        if total == 1:  # too short to stand for an id on its own
            raise StoreError(f"{prefix!r} is too short for a story id: it starts {shown}")
        raise StoreError(
            f"{prefix!r} starts several story ids ({shown}"
            f"{f' and {more} more' if more else ''}); give more of it"
        )

    def memberships(self) -> dict[str, str]:
        """article id -> live story id."""
        return dict(self.connection.execute("SELECT article_id, story_id FROM memberships"))

    def story_members(self, story_id: str) -> list[str]:
        """Article ids of a story, in the order they were added."""
        return [
            row[0]
            for row in self.connection.execute(
                "SELECT a.id FROM memberships m JOIN articles a ON a.id = m.article_id "
                "WHERE m.story_id = ? ORDER BY a.seq",
                (self.resolve(story_id),),
            )
        ]

    def merges(self) -> list[tuple[str, str, float | None]]:
        return list(self.connection.execute("SELECT old_id, new_id, similarity FROM merges"))

    def live_stories(self) -> list[str]:
        """Ids of live stories, oldest first (by their earliest member)."""
        return [
            row[0]
            for row in self.connection.execute(
                "SELECT m.story_id FROM memberships m JOIN articles a ON a.id = m.article_id "
                "GROUP BY m.story_id ORDER BY min(a.seq)"
            )
        ]

    def story_ids(self) -> set[str]:
        """Every story id the store holds, live and absorbed."""
        return {row[0] for row in self.connection.execute("SELECT id FROM stories")}

    def merged_ids(self, story_id: str) -> list[str]:
        """Ids of stories absorbed (directly or not) into ``story_id``."""
        return [
            row[0]
            for row in self.connection.execute(
                "SELECT id FROM stories WHERE merged_into = ? ORDER BY id", (story_id,)
            )
        ]

    def story_rows(self) -> list[StoryRow]:
        """Every live story, largest first."""
        rows = self.connection.execute(
            "SELECT s.id, s.headline, count(*), min(a.published), max(a.published), "
            "group_concat(DISTINCT a.lang), "
            "group_concat(coalesce(a.url, '') || char(30) || coalesce(a.source, ''), char(31)) "
            "FROM stories s JOIN memberships m ON m.story_id = s.id "
            "JOIN articles a ON a.id = m.article_id WHERE s.merged_into IS NULL "
            "GROUP BY s.id ORDER BY count(*) DESC, min(a.seq)"
        )
        return [
            StoryRow(
                id=r[0], headline=r[1], size=r[2], first_seen=r[3], last_seen=r[4],
                languages=tuple(sorted(filter(None, (r[5] or "").split(",")))),
                sources=tuple(sorted({
                    outlet(*x.split(chr(30), 1)) for x in (r[6] or "").split(chr(31))
                    if x.strip(chr(30))
                })),
            )
            for r in rows
        ]  # fmt: skip

    def story_count(self) -> int:
        return int(
            self.connection.execute(
                "SELECT count(*) FROM stories WHERE merged_into IS NULL"
            ).fetchone()[0]
        )

    def write_clustering(
        self,
        *,
        new_stories: dict[str, str],
        assignments: dict[str, str],
        merges: list[tuple[str, str, float]],
        headlines: dict[str, str],
        near_duplicates: dict[str, str],
        settings: dict[str, bytes] | None = None,
    ) -> None:
        """Record one linking step atomically: new stories, members, merges, near-copy groups.

        ``assignments`` maps article id -> live story id (new or existing); ``merges`` lists
        (absorbed id, surviving id, similarity); ``near_duplicates`` replaces the whole table.
        """
        now = _now()
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO stories (id, headline, created_at) VALUES (?, ?, ?)",
                [(sid, headline, now) for sid, headline in new_stories.items()],
            )
            for old, new, similarity in merges:
                db.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (new, old))
                db.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (new, old))
                db.execute("UPDATE memberships SET story_id = ? WHERE story_id = ?", (new, old))
                db.execute(
                    "INSERT OR REPLACE INTO merges (old_id, new_id, similarity, merged_at) "
                    "VALUES (?, ?, ?, ?)",
                    (old, new, similarity, now),
                )
            db.executemany(
                "INSERT OR REPLACE INTO memberships (article_id, story_id) VALUES (?, ?)",
                list(assignments.items()),
            )
            db.executemany(
                "UPDATE stories SET headline = ? WHERE id = ?",
                [(h, sid) for sid, h in headlines.items()],
            )
            db.executemany(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                list((settings or {}).items()),
            )
            db.execute("DELETE FROM near_duplicates")
            db.executemany(
                "INSERT INTO near_duplicates (article_id, group_id) VALUES (?, ?)",
                list(near_duplicates.items()),
            )


_DIM = 512


def _article(row: Sequence[Any]) -> Article:
    _id, title, text, lang, published, url, author, source = row
    return Article(
        text=text, title=title, lang=lang,
        published=dt.date.fromisoformat(published) if published else None,
        url=url, author=author, source=source,
    )  # fmt: skip


def outlet(url: str | None, source: str | None = None) -> str:
    """The outlet an article comes from: the name its record gave ("Reuters"), else its http(s)
    url's host (``www.`` dropped), else its source.

    A source is a name unless it is where the article was read (a path, ``file.jsonl#3``,
    ``<stdin>``) or a url. Only an http or https url with a host names a site; any other url
    (``javascript:...``, ``data:``, ``file:``, a host-less ``https:x``) is passed over, for
    "unknown" when nothing else names the outlet.
    """
    name = (source or "").strip()
    if name and not _READ_FROM.search(name) and not _SCHEME.match(name) and "://" not in name:
        return name
    for candidate in (url, source):
        host = _web_host(candidate)
        if host:
            return host.removeprefix("www.")
    name = (source or "").strip()
    if not name or "://" in name or _SCHEME.match(name):
        return "unknown"
    return name


# a source that says where an article was read, not who published it: a path, a record of a
# file ("feed.jsonl#3"), standard input, a file name
_READ_FROM = re.compile(r"[/\\#]|^<|\.(?:txt|html?|json|jsonl|csv|tsv|warc|gz|xml)$", re.IGNORECASE)
# a url scheme that is never a site's name (a source "Reuters: World" stays a name)
_SCHEME = re.compile(r"(?i)\s*(javascript|vbscript|data|file|blob|about|mailto|ftp|https?):")


def _web_host(url: str | None) -> str | None:
    """The host of an http(s) url, None for anything else."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # a malformed url, such as an unclosed "[" in the host
        return None
    return host if parts.scheme.lower() in ("http", "https") and host else None


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _tables_of(version: int) -> frozenset[str]:
    """The tables a store of schema ``version`` holds: those its migrations created.

    (A future migration that drops or renames a table must take it out of this set.)
    """
    created = "".join(MIGRATIONS[: max(0, min(version, SCHEMA_VERSION))])
    return frozenset(re.findall(r"CREATE TABLE (\w+)", created))


def _stored_version(connection: sqlite3.Connection, path: str) -> int:
    """The schema version of a samestory store, 0 for an empty database; refuses others.

    Reads only, so a file that is not ours is left as it was. Another application's database
    is told apart by its tables: samestory creates its tables and sets ``user_version`` in
    one transaction, so tables at version 0, or a version without its tables, are not ours.
    """
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    tables = {
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\'"
        )
    }
    if version == 0:
        foreign = bool(tables)
    elif version <= SCHEMA_VERSION:
        foreign = not _tables_of(version) <= tables
    else:  # a newer samestory keeps today's tables; a version number of someone else's does not
        foreign = bool(tables) and not _tables_of(SCHEMA_VERSION) <= tables
    if foreign:
        shown = ", ".join(sorted(tables)[:3]) + (", …" if len(tables) > 3 else "")
        held = f"it holds other tables: {shown}" if tables else "it has none of samestory's tables"
        raise StoreError(f"{path} is not a samestory database ({held}); give another --db path")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} has schema version {version}, newer than this samestory ({SCHEMA_VERSION}); "
            "upgrade samestory: pip install -U samestory"
        )
    return version


def _migrate(connection: sqlite3.Connection, path: str, upto: int = SCHEMA_VERSION) -> None:
    current = int(connection.execute("PRAGMA user_version").fetchone()[0])
    for version in range(current + 1, upto + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            # re-read under the write lock: another process may have migrated meanwhile
            if int(connection.execute("PRAGMA user_version").fetchone()[0]) >= version:
                connection.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[version - 1].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def open_store(
    path: str | Path = "samestory.db",
    *,
    readonly: bool = False,
    create: bool | None = None,
    schema_version: int = SCHEMA_VERSION,
) -> Store:
    """Open the store at ``path``: by default creating it, or upgrading an older schema.

    A new path, an empty (0-byte) file or an empty SQLite database becomes a new store;
    another application's SQLite file is refused untouched. ``create=False`` opens only an
    existing store at this schema version: nothing is created or upgraded (its tables may
    still be written, e.g. cached analyses). ``readonly=True`` (implies ``create=False``)
    writes nothing at all, so listing a store never changes it, even one another process is
    writing. ``schema_version`` stops the upgrade at an older version; it exists to test
    migrations.
    """
    path = str(path)
    if create is None:
        create = not readonly
    elif create and readonly:
        raise OptionsError("open_store cannot create a store read-only; drop create=True")
    if path != ":memory:" and Path(path).is_dir():
        raise StoreError(
            f"{path} is a folder; give a file name for the store, e.g. {path}/samestory.db"
        )
    if path not in ("", ":memory:") and not Path(path).parent.is_dir():
        raise StoreError(
            f"there is no folder {Path(path).parent} for the store {path}; create it first"
        )
    if not create and not Path(path).is_file():
        if path in ("", ":memory:"):
            raise StoreError(
                f"an in-memory store ({path!r}) starts empty: open it with create=True"
            )
        raise StoreError(
            f"no store at {path}; create one with `samestory cluster INPUT --db {path}` "
            "(in Python: samestory.cluster.pipeline.cluster_articles)"
        )
    connection: sqlite3.Connection | None = None
    try:
        if readonly:
            uri = Path(path).resolve().as_uri() + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30.0)
        else:
            connection = sqlite3.connect(path, isolation_level=None, timeout=30.0)
        version = _stored_version(connection, path)
        if not create and version < SCHEMA_VERSION:
            raise StoreError(
                f"{path} has no stories yet; create them with `samestory cluster INPUT --db "
                f"{path}` (in Python: samestory.cluster.pipeline.cluster_articles)"
                if version == 0
                else f"{path} has schema version {version}, older than this samestory's "
                f"({SCHEMA_VERSION}), and reading a store never upgrades it; upgrade it by "
                f"adding articles: `samestory add INPUT --db {path}`"
            )
        connection.execute("PRAGMA foreign_keys = ON")
        if create:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            _migrate(connection, path, upto=schema_version)
    except sqlite3.DatabaseError as error:
        if connection is not None:
            connection.close()
        raise StoreError(
            f"{path} is not a samestory database ({error}); give another --db path"
        ) from None
    except BaseException:
        if connection is not None:
            connection.close()
        raise
    return Store(connection, path, readonly=readonly)
