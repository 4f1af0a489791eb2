"""`samestory cluster` and `samestory add` killed with SIGKILL at random moments, and rerun.

After each kill the same command is started again (and may be killed again); when one run
finally completes, the store must hold every input article exactly once and the same stories
(the same memberships, story ids and headlines) as a run that was never interrupted.

The default suite kills each command once; the slow version (``pytest -m slow``) kills them
at least 24 times in all, over rounds on fresh stores (a chain of kills ends when a rerun
completes before its kill moment, as nothing is left to interrupt). Kill moments are drawn uniformly over an uninterrupted run's duration, so
they land in every stage: start-up, reading, embedding, near-copy signatures, linking.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _robustness import require_slow
from samestory.cluster.core import PROBE_KIND

EVENTS = [
    ("flood", "river banks burst town evacuated rescue boats rain"),
    ("election", "votes counted parliament majority coalition ballot"),
    ("quake", "earthquake magnitude tremor buildings collapsed aftershock"),
    ("strike", "workers walkout union wages factory pickets"),
    ("fire", "wildfire forest flames firefighters hectares smoke"),
    ("match", "final goal striker penalty stadium trophy"),
]
FILLER = [
    "the",
    "a",
    "of",
    "in",
    "on",
    "said",
    "officials",
    "local",
    "report",
    "today",
    "according",
    "more",
    "people",
]


def write_corpus(path: Path, numbers: range, seed: int = 7) -> list[str]:
    """JSON lines, one article per event and number; returns their urls."""
    urls = []
    with path.open("w", encoding="utf-8") as out:
        for number in numbers:
            rng = random.Random(seed * 100_003 + number)
            for name, words in EVENTS:
                vocabulary = words.split()
                body = " ".join(
                    rng.choice(vocabulary if rng.random() < 0.5 else FILLER) for _ in range(60)
                )
                record = {
                    "title": f"{name.title()} {number}: {' '.join(rng.sample(vocabulary, 3))}",
                    "text": body.capitalize() + ".",
                    "lang": "en",
                    "published": "2024-05-01",
                    "url": f"https://news.example/{name}/{number}",
                }
                out.write(json.dumps(record) + "\n")
                urls.append(record["url"])
    return urls


def start(command: str, corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    code = "from samestory.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, command, str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def run_to_end(command: str, corpus: Path, db: Path) -> float:
    started = time.monotonic()
    process = start(command, corpus, db)
    _, stderr = process.communicate(timeout=900)
    assert process.returncode == 0, stderr.decode(errors="replace")[-3000:]
    assert b"database is locked" not in stderr
    return time.monotonic() - started


def stage(db: Path) -> str:
    """How far a killed run got, from what it left in the store."""
    if not db.exists():
        return "start-up"
    pending = (
        "SELECT count(*) FROM articles a LEFT JOIN memberships m ON m.article_id = a.id "
        "WHERE m.article_id IS NULL"
    )
    lacking = " AND NOT EXISTS (SELECT 1 FROM {} c WHERE c.content_hash = a.content_hash{})"
    try:
        with sqlite3.connect(db, timeout=30) as connection:
            pending_count, no_vector, no_signature = (
                connection.execute(sql).fetchone()[0]
                for sql in (
                    pending,
                    pending + lacking.format("vectors", f" AND c.kind LIKE '{PROBE_KIND}%'"),
                    pending + lacking.format("minhashes", ""),
                )
            )
    except sqlite3.Error:  # killed while creating the schema
        return "start-up"
    if pending_count == 0:
        return "start-up or after linking (nothing pending)"
    if no_vector == pending_count:
        return "reading (stored, none embedded)"
    if no_vector:
        return "embedding"
    if no_signature:
        return "near-copy signatures"
    return "lexical vectors / linking"


def kill_and_rerun(
    command: str, corpus: Path, db: Path, kills: int, duration: float, rng: random.Random
) -> list[str]:
    """Kill ``command`` up to ``kills`` times at random moments, rerunning it after each kill.

    Returns the stage each kill interrupted. The chain ends early when a rerun completes
    before its kill moment (nothing left to interrupt); the last run always completes.
    """
    stages: list[str] = []
    while len(stages) < kills:
        process = start(command, corpus, db)
        try:
            process.wait(timeout=rng.uniform(0.2, duration))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
            stages.append(stage(db))
            continue
        _, stderr = process.communicate()
        assert process.returncode == 0, stderr.decode(errors="replace")[-3000:]
        return stages
    run_to_end(command, corpus, db)
    return stages


def snapshot(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as connection:
        total, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT url) FROM articles"
        ).fetchone()
        return {
            "articles": (total, distinct),
            "urls": sorted(r[0] for r in connection.execute("SELECT url FROM articles")),
            "memberships": dict(connection.execute("SELECT article_id, story_id FROM memberships")),
            "stories": sorted(
                connection.execute("SELECT id, headline, merged_into FROM stories").fetchall()
            ),
        }


def check_resume(
    tmp_path: Path, per_event: int, adds: int, max_kills: int, rounds: int, seed: int,
    want_kills: int = 0,
) -> list[str]:  # fmt: skip
    """Cluster a corpus and add ``adds`` more batches, uninterrupted and with kills.

    Each of ``rounds`` rounds (or fewer, once ``want_kills`` kills happened) starts a fresh
    store and kills every command up to ``max_kills`` times; after each round the store must
    equal the uninterrupted one. Returns the stages the kills interrupted.
    """
    size = per_event // (adds + 2)
    batches = [tmp_path / "cluster.jsonl"] + [tmp_path / f"add{n}.jsonl" for n in range(adds)]
    bounds = [0, 2 * size] + [2 * size + size * (n + 1) for n in range(adds)]
    urls: list[str] = []
    for batch, low, high in zip(batches, bounds[:-1], bounds[1:], strict=True):
        urls += write_corpus(batch, range(low, high))

    reference = tmp_path / "reference.db"
    commands = ["cluster"] + ["add"] * adds
    seconds = [run_to_end(c, b, reference) for c, b in zip(commands, batches, strict=True)]
    expected = snapshot(reference)
    assert expected["articles"] == (len(urls), len(urls))

    rng = random.Random(seed)
    stages: list[str] = []
    for number in range(rounds):
        resumed = tmp_path / f"resumed{number}.db"
        for command, batch, duration in zip(commands, batches, seconds, strict=True):
            stages += [
                f"{command}: {where}"
                for where in kill_and_rerun(command, batch, resumed, max_kills, duration, rng)
            ]
        got = snapshot(resumed)
        assert got["articles"] == (len(urls), len(urls))  # every article, exactly once
        assert got["urls"] == sorted(urls)
        assert len(got["memberships"]) == len(urls)  # every article in exactly one story
        assert got["memberships"] == expected["memberships"]  # the same stories, same ids
        assert got["stories"] == expected["stories"]
        if want_kills and len(stages) >= want_kills:
            break
    counts: dict[str, int] = {}
    for where in stages:
        counts[where] = counts.get(where, 0) + 1
    print(f"seed {seed}: {len(stages)} kills in {number + 1} rounds, by stage {json.dumps(counts)}")
    return stages


def test_killed_cluster_and_add_resume_to_the_same_stories(tmp_path: Path) -> None:
    seed = int(os.environ.get("SAMESTORY_KILL_SEED", "1"))
    check_resume(tmp_path, per_event=24, adds=1, max_kills=1, rounds=1, seed=seed)


@pytest.mark.slow
def test_24_kills_across_stages(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    require_slow(request.config)
    seed = int(os.environ.get("SAMESTORY_KILL_SEED", str(random.randrange(1 << 20))))
    stages = check_resume(tmp_path, per_event=60, adds=2, max_kills=4, rounds=8, seed=seed,
                          want_kills=24)  # fmt: skip
    assert len(stages) >= 20
    assert len({where.split(": ")[-1] for where in stages}) >= 3  # in several stages
