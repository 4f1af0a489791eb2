"""Two `samestory add` processes and a running `samestory serve` on one store at the same time.

The server is read from (story lists, story pages, health) and written to (POST
/api/articles) while both adds run. Nothing may be lost: every article of both inputs and of
the server's writes is stored exactly once and sits in exactly one live story, and no
"database is locked" reaches a user (a command's output or an HTTP response).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_robustness_resume import run_to_end, start, write_corpus

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn", reason="the server extra is not installed")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Traffic(threading.Thread):
    """Reads and writes against the server until stopped; records every failure."""

    def __init__(self, url: str, write: bool) -> None:
        super().__init__(daemon=True)
        self.url, self.write = url, write
        self.stop = threading.Event()
        self.failures: list[str] = []
        self.requests = 0
        self.posted: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=300) as client:
            number = 0
            while not self.stop.is_set():
                number += 1
                try:
                    if self.write and number % 5 == 0:
                        url = f"https://served.example/{number}"
                        response = client.post("/api/articles", json={
                            "title": f"Server write {number}: river flood rescue",
                            "text": f"Rescue boats reached the flooded town, report {number} "
                                    "said; the river banks burst after rain.",
                            "url": url, "lang": "en", "published": "2024-05-02",
                        })  # fmt: skip
                        if response.status_code == 200:
                            self.posted.append(url)
                    else:
                        path = ("/api/stories", "/healthz", "/stories")[number % 3]
                        response = client.get(path)
                        if path == "/api/stories" and response.status_code == 200:
                            stories = response.json()["stories"]
                            if stories:
                                response = client.get(f"/api/stories/{stories[0]['id']}")
                    self.requests += 1
                    if response.status_code != 200 or "locked" in response.text:
                        self.failures.append(f"{response.status_code} {response.text[:300]}")
                except httpx.HTTPError as error:
                    self.failures.append(repr(error))


def test_two_adds_and_a_server_on_one_store(tmp_path: Path) -> None:
    base, first, second = (tmp_path / f"{n}.jsonl" for n in ("base", "first", "second"))
    urls = write_corpus(base, range(0, 20))
    urls += write_corpus(first, range(20, 32))
    urls += write_corpus(second, range(32, 44))
    db = tmp_path / "shared.db"
    run_to_end("cluster", base, db)

    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "samestory", "serve", "--db", str(db), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        readers = [Traffic(url, write=False), Traffic(url, write=True)]
        for thread in readers:
            thread.start()
        adds = [start("add", first, db), start("add", second, db)]
        outputs = [process.communicate(timeout=900) for process in adds]
        time.sleep(1)
        for thread in readers:
            thread.stop.set()
        for thread in readers:
            thread.join(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    for process, (_, stderr) in zip(adds, outputs, strict=True):
        assert process.returncode == 0, stderr.decode(errors="replace")[-3000:]
        assert b"locked" not in stderr
    assert b"locked" not in (tmp_path / "server.log").read_bytes()
    for thread in readers:
        assert not thread.failures, thread.failures[:5]
        assert thread.requests > 0
    posted = readers[1].posted
    with sqlite3.connect(db) as connection:
        stored = [r[0] for r in connection.execute("SELECT url FROM articles")]
        members = dict(connection.execute("SELECT article_id, story_id FROM memberships"))
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        live = {
            r[0] for r in connection.execute("SELECT id FROM stories WHERE merged_into IS NULL")
        }
        empty = connection.execute(
            "SELECT count(*) FROM stories s WHERE merged_into IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM memberships m WHERE m.story_id = s.id)"
        ).fetchone()[0]
    assert sorted(stored) == sorted(urls + posted)  # no lost write, nothing twice
    assert len(members) == articles  # every article in a story
    assert set(members.values()) <= live  # ... a live one
    assert empty == 0  # and no story left without members by a lost race
    print(f"{len(urls)} articles from files, {len(posted)} through the server, "
          f"{sum(t.requests for t in readers)} requests, {len(live)} stories")  # fmt: skip


def test_a_cached_story_page_is_dropped_when_the_store_changes(tmp_path: Path) -> None:
    """The server caches story pages by the store's state: any write must change that state."""
    from samestory.article import Article
    from samestory.store import open_store
    from samestory.web.service import _story_state

    with open_store(tmp_path / "state.db") as store:
        states = [_story_state(store, "s1")]
        store.add_articles([Article(text="Floods hit Riverside on Monday.", lang="en")])
        states.append(_story_state(store, "s1"))
        (article_id,) = (a.id for a in store.articles())
        store.write_clustering(new_stories={"s1": "Floods"}, assignments={article_id: "s1"},
                               merges=[], headlines={}, near_duplicates={})  # fmt: skip
        states.append(_story_state(store, "s1"))
        store.add_articles([Article(text="Rescue boats reached Riverside.", lang="en")])
        states.append(_story_state(store, "s1"))
        # a regrouping moves an article to another story without changing any total
        store.write_clustering(new_stories={"s2": "Rescue"}, assignments={article_id: "s2"},
                               merges=[], headlines={}, near_duplicates={})  # fmt: skip
        states.append(_story_state(store, "s1"))
    assert len(set(states)) == len(states)
