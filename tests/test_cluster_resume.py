"""A ``samestory cluster`` run killed with SIGKILL and rerun ends exactly like an unbroken run."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from test_robustness_resume import write_corpus


def _cluster(corpus, db) -> subprocess.Popen:
    code = "from samestory.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "cluster", str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _count(db, table: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def _result(db) -> tuple[dict[str, str], int, int]:
    with sqlite3.connect(db) as connection:
        members = dict(connection.execute("SELECT article_id, story_id FROM memberships"))
        articles = connection.execute(
            "SELECT count(*), count(DISTINCT id) FROM articles"
        ).fetchone()
    return members, articles[0], articles[1]


def test_killed_run_resumes_to_the_same_stories(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    urls = write_corpus(corpus, range(90))

    reference = tmp_path / "reference.db"
    run = _cluster(corpus, reference)
    assert run.wait(timeout=300) == 0, run.stderr.read().decode() if run.stderr else ""

    resumed = tmp_path / "resumed.db"
    run = _cluster(corpus, resumed)
    deadline = time.monotonic() + 120
    while _count(resumed, "vectors") == 0 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    if run.returncode != -signal.SIGKILL:
        pytest.skip("the run finished before it could be killed")
    assert _count(resumed, "memberships") == 0  # killed mid-embedding: nothing linked yet

    run = _cluster(corpus, resumed)
    assert run.wait(timeout=300) == 0, run.stderr.read().decode() if run.stderr else ""

    expected, total, distinct = _result(reference)
    got, resumed_total, resumed_distinct = _result(resumed)
    assert total == distinct == len(urls)
    assert resumed_total == resumed_distinct == len(urls)  # nothing stored twice
    assert len(got) == len(urls)  # every article in exactly one story
    assert got == expected  # the same stories, with the same ids
