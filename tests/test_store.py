"""The SQLite store: migrations, WAL, dedupe by id, cached vectors, merges that still resolve."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

import samestory
from samestory import Article
from samestory.store import SCHEMA_VERSION, StoreError, content_hash, open_store


def _article(text: str, url: str | None = None, title: str = "") -> Article:
    return Article(text=text, url=url, title=title, lang="en")


def test_new_store_is_wal_at_the_latest_schema(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        assert store.schema_version == SCHEMA_VERSION
        mode = store.connection.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_old_schema_is_migrated_keeping_its_rows(tmp_path):
    path = tmp_path / "old.db"
    with open_store(path, schema_version=1) as store:
        assert store.schema_version == 1
        store.add_articles([_article("A bridge collapsed in Genoa on Tuesday.")])
        tables = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master")}
        assert "analyses" not in tables and "settings" not in tables
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.article_count() == 1
        tables = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master")}
        assert {"analyses", "settings"} <= tables


def test_newer_schema_and_foreign_files_are_refused_with_a_fix(tmp_path):
    path = tmp_path / "future.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.close()
    with pytest.raises(StoreError, match="upgrade samestory"):
        open_store(path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a samestory database"):
        open_store(junk)


def test_articles_are_deduplicated_by_id(tmp_path):
    first = _article("Floods hit the north of Italy.", url="https://a.example/1")
    again = _article("Floods  hit the north of Italy.", url="https://a.example/1")  # same id
    other_url = _article("Floods hit the north of Italy.", url="https://b.example/9")
    with open_store(tmp_path / "s.db") as store:
        assert store.add_articles([first]) == 1
        assert store.add_articles([again, first]) == 0
        assert store.add_articles([other_url]) == 1
        assert store.article_count() == 2
        # the same text at two urls is one content hash: embedded once
        assert content_hash(first) == content_hash(other_url)
        assert store.missing_hashes("vectors", "probe") == [content_hash(first)]


def test_vectors_round_trip_as_float32(tmp_path):
    vector = np.linspace(-1, 1, 512).astype(np.float32)
    with open_store(tmp_path / "s.db") as store:
        store.add_articles([_article("One text.")])
        digest = store.missing_hashes("vectors", "probe")[0]
        store.put_vectors("probe", {digest: vector})
        assert store.missing_hashes("vectors", "probe") == []
        np.testing.assert_array_equal(store.vectors("probe")[digest], vector)
        np.testing.assert_array_equal(store.vectors("probe", [digest])[digest], vector)


def test_merged_story_ids_still_resolve(tmp_path):
    articles = [_article(f"Report number {i} on the event.") for i in range(3)]
    with open_store(tmp_path / "s.db") as store:
        store.add_articles(articles)
        ids = [a.id for a in articles]
        store.write_clustering(
            new_stories={"sA": "A", "sB": "B", "sC": "C"},
            assignments={ids[0]: "sA", ids[1]: "sB", ids[2]: "sC"},
            merges=[], headlines={}, near_duplicates={},
        )  # fmt: skip
        store.write_clustering(
            new_stories={}, assignments={}, merges=[("sB", "sA", 0.7)], headlines={},
            near_duplicates={},
        )  # fmt: skip
        store.write_clustering(
            new_stories={}, assignments={}, merges=[("sA", "sC", 0.6)], headlines={},
            near_duplicates={},
        )  # fmt: skip
        assert store.resolve("sB") == "sC"
        assert store.resolve("sA") == "sC"
        assert sorted(store.story_members("sB")) == sorted(ids)
        assert sorted(store.merged_ids("sC")) == ["sA", "sB"]
        assert store.story_count() == 1
        assert {(old, new) for old, new, _ in store.merges()} == {("sB", "sA"), ("sA", "sC")}
        with pytest.raises(StoreError, match="samestory stories"):
            store.resolve("nope")


def test_unclear_story_ids_say_what_they_match(tmp_path):
    articles = [_article(f"Report number {i} on the event.") for i in range(2)]
    with open_store(tmp_path / "s.db") as store:
        store.add_articles(articles)
        store.write_clustering(
            new_stories={"s1a": "A", "s1b": "B"},
            assignments={articles[0].id: "s1a", articles[1].id: "s1b"},
            merges=[], headlines={}, near_duplicates={},
        )  # fmt: skip
        assert store.resolve("s1b") == "s1b"
        with pytest.raises(StoreError, match=r"starts several story ids \(s1a, s1b\)"):
            store.resolve("s1")
        with pytest.raises(StoreError, match="is an article id, not a story id; its story is s1a"):
            store.resolve(articles[0].id)
        store.write_clustering(
            new_stories={}, assignments={}, merges=[("s1b", "s1a", 0.7)], headlines={},
            near_duplicates={},
        )  # fmt: skip
        assert store.resolve("s1") == "s1a"  # both ids it starts lead to one live story


def test_open_store_is_exported_lazily(tmp_path):
    with samestory.open_store(tmp_path / "x.db") as store:
        assert store.story_count() == 0


def test_a_second_writer_is_told_before_it_waits_for_the_lock(tmp_path):
    import threading

    db = tmp_path / "s.db"
    held, release = threading.Event(), threading.Event()

    def first_writer() -> None:
        with open_store(db) as store, store.exclusive():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert held.wait(10)
    told: list[str] = []
    with open_store(db) as store:
        threading.Timer(0.3, release.set).start()
        with store.exclusive(on_wait=lambda: told.append("waiting")):
            assert release.is_set()  # got the lock only once the first writer let go
    thread.join(10)
    assert told == ["waiting"]
    with open_store(db) as store, store.exclusive(on_wait=lambda: told.append("again")):
        pass  # a free lock: nobody is told anything
    assert told == ["waiting"]


def test_cached_analyses_of_another_version_are_analysed_again(tmp_path, monkeypatch):
    from samestory import store as store_module

    vectors = np.ones((4, 512), dtype=np.float32)
    payload = {"lang": "en", "sentences": ["One text."], "mentions": [], "entities": []}
    with open_store(tmp_path / "s.db") as store:
        store.add_articles([_article("One text.")])
        digest = store.missing_hashes("analyses")[0]
        store.put_analysis(digest, payload, vectors)
        assert store.analysis(digest) is not None
        assert store.missing_hashes("analyses") == []
        # new mention rules (a bumped analysis version) must not be served old mentions
        monkeypatch.setattr(store_module, "ANALYSIS_VERSION", "older-rules")
        assert store.analysis(digest) is None
        assert store.missing_hashes("analyses") == [digest]
        store.put_analysis(digest, payload, vectors)
        cached = store.analysis(digest)
        assert cached is not None and cached[0]["sentences"] == ["One text."]


def _stories(store, names: list[str]) -> list[Article]:
    articles = [_article(f"Report {name} on the event.") for name in names]
    store.add_articles(articles)
    store.write_clustering(
        new_stories={name: name for name in names},
        assignments={a.id: name for a, name in zip(articles, names, strict=True)},
        merges=[], headlines={}, near_duplicates={},
    )  # fmt: skip
    return articles


def test_an_ambiguous_prefix_names_a_few_of_its_ids_short_or_not(tmp_path):
    names = [f"s1{c}" for c in "abcdefg"]
    with open_store(tmp_path / "s.db") as store:
        _stories(store, names)
        with pytest.raises(
            StoreError,
            match=r"'s1' starts several story ids \(s1a, s1b, s1c, s1d, s1e and 2 more\); give",
        ):
            store.resolve("s1")
        # shorter than a usable prefix: never resolved, but answered the same way
        with pytest.raises(StoreError, match=r"'s' starts several story ids \(s1a, .* 2 more\)"):
            store.resolve("s")
    with open_store(tmp_path / "one.db") as store:
        _stories(store, ["s1a"])
        assert store.resolve("s1") == "s1a"
        with pytest.raises(StoreError, match="'s' is too short for a story id: it starts s1a"):
            store.resolve("s")


def test_a_prefix_prefers_the_one_live_story_it_starts(tmp_path):
    # a store written before new ids were hashed: s2609a9e3e222 absorbed into s0773cdfaeda5,
    # then s2609a9e3e222-2 made from the same first article
    with open_store(tmp_path / "s.db") as store:
        _stories(store, ["s0773cdfaeda5", "s2609a9e3e222", "s2609a9e3e222-2", "s26aa", "s26ab"])
        store.write_clustering(
            new_stories={}, assignments={}, merges=[("s2609a9e3e222", "s0773cdfaeda5", 0.6)],
            headlines={}, near_duplicates={},
        )  # fmt: skip
        assert store.resolve("s2609") == "s2609a9e3e222-2"  # the live one, not the absorbed
        assert store.resolve("s2609a9e3e222") == "s0773cdfaeda5"  # a whole id: its survivor
        assert store.resolve("s2609a9e3e222-2") == "s2609a9e3e222-2"  # old ids stay valid
        with pytest.raises(
            StoreError, match=r"\(s2609a9e3e222-2, s26aa, s26ab, s2609a9e3e222 \(absorbed into "
            r"s0773cdfaeda5\)\)",
        ):  # fmt: skip
            store.resolve("s26")
