"""Files that are not samestory stores are refused untouched; reading a store never writes it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from samestory import Article
from samestory.store import SCHEMA_VERSION, StoreError, open_store


def _samestory(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "samestory", *args], capture_output=True, text=True, timeout=300
    )


def _foreign(path: Path, user_version: int = 0) -> bytes:
    """Another application's database: a ``users`` table; returns its bytes."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO users (name) VALUES ('ada')")
    connection.execute(f"PRAGMA user_version = {user_version}")
    connection.commit()
    connection.close()
    return path.read_bytes()


def _folder(path: Path) -> dict[str, bytes]:
    """Every file next to (and including) a store, by name: what a command may not change."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def _small_store(path: Path, schema_version: int = SCHEMA_VERSION) -> list[str]:
    """A store with two stories of one and two articles, made without models."""
    articles = [
        Article(text=f"Report number {i} on the flood.", title=f"Flood {i}", lang="en")
        for i in range(3)
    ]
    ids = [a.id for a in articles]
    with open_store(path, schema_version=schema_version) as store:
        store.add_articles(articles)
        if schema_version >= 3:  # write_clustering records settings, a table of version 3
            store.write_clustering(
                new_stories={"sA": "Flood A", "sB": "Flood B"},
                assignments={ids[0]: "sA", ids[1]: "sA", ids[2]: "sB"},
                merges=[], headlines={}, near_duplicates={},
            )  # fmt: skip
    return ids


@pytest.mark.parametrize("user_version", [0, 3, SCHEMA_VERSION + 40])
def test_another_applications_database_is_refused_untouched(tmp_path, user_version):
    path = tmp_path / "other.db"
    before = _foreign(path, user_version)
    for options in ({}, {"create": False}, {"readonly": True}):
        with pytest.raises(StoreError, match=r"not a samestory database \(it holds other tables: "):
            open_store(path, **options)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]  # no WAL, no lock file


def test_stories_and_story_refuse_a_foreign_database_with_one_line(tmp_path):
    path = tmp_path / "other.db"
    before = _foreign(path)
    for command in (["stories"], ["story", "s1"]):
        result = _samestory(*command, "--db", str(path))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("samestory: error:"), result.stderr
        assert "not a samestory database" in lines[0] and "give another --db path" in lines[0]
        assert result.stdout == ""
    assert path.read_bytes() == before


def test_reading_an_empty_file_leaves_it_empty_and_cluster_may_fill_it(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    for command in (["stories"], ["story", "s1"]):
        result = _samestory(*command, "--db", str(path))
        assert result.returncode == 2
        assert "has no stories yet" in result.stderr and "samestory cluster" in result.stderr
    with pytest.raises(StoreError, match="has no stories yet"):
        open_store(path, readonly=True)
    assert _folder(path) == {"empty.txt": b""}
    with open_store(path) as store:  # what SQLite itself reads as an empty database
        assert store.schema_version == SCHEMA_VERSION


def test_stories_lists_a_store_without_changing_it(tmp_path):
    path = tmp_path / "s.db"
    _small_store(path)
    before = _folder(path)
    result = _samestory("stories", "--db", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [(s["id"], s["size"]) for s in listed] == [("sA", 2), ("sB", 1)]
    table = _samestory("stories", "--db", str(path))
    assert table.returncode == 0 and "2 stories" in table.stdout
    after = _folder(path)
    assert after.pop("s.db") == before.pop("s.db")
    assert not {name for name in after if name not in before} - {"s.db-wal", "s.db-shm"}
    assert not after.get("s.db-wal")  # SQLite's own WAL file, empty: nothing was written


def test_an_older_store_is_not_upgraded_by_reading_it(tmp_path):
    path = tmp_path / "old.db"
    _small_store(path, schema_version=1)
    before = _folder(path)
    for command in (["stories"], ["story", "sA"]):
        result = _samestory(*command, "--db", str(path))
        assert result.returncode == 2
        assert f"schema version 1, older than this samestory's ({SCHEMA_VERSION})" in result.stderr
        assert "samestory add" in result.stderr
    assert _folder(path)["old.db"] == before["old.db"]
    with open_store(path) as store:  # a writing open still upgrades it, keeping its rows
        assert store.schema_version == SCHEMA_VERSION and store.article_count() == 3


def test_a_readonly_store_sees_what_a_writer_has_not_checkpointed(tmp_path):
    path = tmp_path / "s.db"
    ids = _small_store(path)
    with open_store(path) as writer:
        writer.connection.execute("PRAGMA wal_autocheckpoint = 0")  # keep the rows in the WAL
        writer.add_articles([Article(text="A later report on the flood.", lang="en")])
        with open_store(path, readonly=True) as reader:
            assert reader.readonly and reader.article_count() == 4
            assert {r.id for r in reader.story_rows()} == {"sA", "sB"}
            assert sorted(reader.story_members("sA")) == sorted(ids[:2])
            with pytest.raises(StoreError, match="opened read-only; open it with open_store"):
                reader.add_articles([Article(text="Not written.", lang="en")])
        writer.add_articles([Article(text="Still writable.", lang="en")])
        assert writer.article_count() == 5


def test_create_false_opens_a_store_for_its_caches_only(tmp_path):
    path = tmp_path / "s.db"
    _small_store(path)
    with open_store(path, create=False) as store:
        digest = store.missing_hashes("analyses")[0]
        payload = {"lang": "en", "sentences": ["One."], "mentions": [], "entities": []}
        store.put_analysis(digest, payload, np.ones((4, 512), dtype=np.float32))
        assert store.analysis(digest) is not None
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(ValueError, match="drop create=True"):
        open_store(path, readonly=True, create=True)


def test_odd_store_paths_and_a_closed_store_say_what_to_do(tmp_path: Path) -> None:
    from samestory.store import StoreError, open_store

    with pytest.raises(StoreError, match="is a folder; give a file name"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="there is no folder"):
        open_store(tmp_path / "missing" / "s.db")
    with pytest.raises(StoreError, match="starts empty"):
        open_store(":memory:", readonly=True)
    store = open_store(tmp_path / "s.db")
    store.close()
    store.close()  # harmless
    with pytest.raises(StoreError, match="is closed; open it again"):
        store.article_count()
