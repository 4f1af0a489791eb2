"""Bounded loopback load on `samestory serve`: requests per second and p50/p99 latency.

    .venv/bin/python benchmarks/web_load.py [--stories-requests 300] [--compare-requests 40]
                                            [--concurrency 4] [--articles 400] [--json]

Starts a server on a free loopback port over a fresh store, fills it through the API (the
bundled example pair plus the first ``--articles`` rows of GoogleNews-S from ../shared/data
when present), then sends a fixed number of requests per endpoint from ``--concurrency``
threads and stops. The story loaded is the largest. Prints a markdown table for BENCHMARKS.md. The first request of each kind
is sent alone beforehand, so caches (analyses of the story's members) are warm, as they are
for any page viewed twice.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "event-pair"
GOOGLENEWS = (
    Path(os.environ.get("SAMESTORY_SHARED", REPO.parent / "shared"))
    / "data"
    / "clustering"
    / "googlenews-ts"
    / "GoogleNews-S.tsv"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _corpus(rows: int) -> list[dict[str, Any]]:
    first = (EXAMPLE / "first-report-web-copy.txt").read_text(encoding="utf-8")
    update = (EXAMPLE / "update-translated.txt").read_text(encoding="utf-8")
    articles: list[dict[str, Any]] = [
        {"text": first, "published": "2023-02-06", "lang": "en"},
        {"text": update, "published": "2023-02-07", "lang": "en"},
    ]
    if GOOGLENEWS.is_file():
        with GOOGLENEWS.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                if n >= rows:
                    break
                _, _, text = line.rstrip("\n").partition("\t")
                if len(text.split()) >= 5:
                    articles.append({"text": text, "lang": "en", "source": f"gn{n % 7}"})
    return articles


def _load(
    client: httpx.Client, method: str, path: str, body: Any, requests: int, concurrency: int
) -> dict[str, float]:
    def one(_: int) -> float:
        started = time.perf_counter()
        response = client.request(method, path, json=body)
        response.raise_for_status()
        return time.perf_counter() - started

    one(0)  # warm caches
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    return {
        "requests": requests,
        "rps": requests / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories-requests", type=int, default=300)
    parser.add_argument("--compare-requests", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="samestory-load-"))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "samestory", "serve", "--db", str(folder / "load.db"),
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            for _ in range(300):
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            added = client.post("/api/articles", json={"articles": _corpus(args.articles)})
            added.raise_for_status()
            story = client.get("/api/stories", params={"per_page": 1}).json()["stories"][0]["id"]
            size = client.get(f"/api/stories/{story}").json()
            pair = {
                "a": (EXAMPLE / "first-report-web-copy.txt").read_text(encoding="utf-8"),
                "b": (EXAMPLE / "update-translated.txt").read_text(encoding="utf-8"),
            }
            results = {
                "GET /api/stories/{id}": _load(
                    client, "GET", f"/api/stories/{story}", None,
                    args.stories_requests, args.concurrency,
                ),
                "GET /api/stories": _load(
                    client, "GET", "/api/stories?per_page=25", None,
                    args.stories_requests, args.concurrency,
                ),
                "POST /api/compare": _load(
                    client, "POST", "/api/compare", pair, args.compare_requests, args.concurrency
                ),
            }  # fmt: skip
            health = client.get("/healthz").json()
    finally:
        server.terminate()
        server.wait(timeout=10)
    if args.json:
        print(json.dumps({"store": health, "story_members": len(size["members"]), **results}))
        return
    print(
        f"store: {health['articles']} articles, {health['stories']} stories; story of "
        f"{len(size['members'])} members (timeline compares {size['compared']}); "
        f"concurrency {args.concurrency}\n"
    )
    print("| endpoint | requests | requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| `{name}` | {r['requests']:.0f} | {r['rps']:.1f} | {r['p50_ms']:.0f} | "
            f"{r['p99_ms']:.0f} |"
        )


if __name__ == "__main__":
    main()
