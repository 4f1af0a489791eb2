"""Bounded loopback load on `samestory serve`: requests per second and p50/p99 latency.

    .venv/bin/python benchmarks/web_load.py [--stories-requests 300] [--compare-requests 40]
                                            [--concurrency 4] [--articles 400] [--json]
    .venv/bin/python benchmarks/web_load.py --mixed 60 [--compare-share 0.1] [--max-requests N]

``--mixed SECONDS``: instead of one endpoint after another, ``--concurrency`` clients send a
mix of reads (story list, story page, article, health, the stories HTML page) and compares
(``--compare-share`` of the requests) for SECONDS seconds or ``--max-requests`` requests,
whichever comes first; errors are counted, not raised; the server's resident memory is read
before and after. This is the load test of issue #10 (BENCHMARKS.md, Robustness).

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


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _mixed(
    client: httpx.Client, story_ids: list[str], article_ids: list[str], pair: dict[str, str],
    seconds: float, concurrency: int, compare_share: float, max_requests: int,
) -> dict[str, Any]:  # fmt: skip
    """``concurrency`` clients sending a random mix until ``seconds`` or ``max_requests``."""
    import random
    import threading

    reads = [
        ("GET /api/stories", lambda r: ("GET", "/api/stories?per_page=25", None)),
        ("GET /api/stories/{id}", lambda r: ("GET", f"/api/stories/{r.choice(story_ids)}", None)),
        ("GET /api/articles/{id}", lambda r: ("GET", f"/api/articles/{r.choice(article_ids)}", None)),
        ("GET /healthz", lambda r: ("GET", "/healthz", None)),
        ("GET /stories", lambda r: ("GET", "/stories", None)),
    ]  # fmt: skip
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    sent = 0
    guard = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        nonlocal sent
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            with guard:
                if sent >= max_requests:
                    return
                sent += 1
            if rng.random() < compare_share:
                name, (method, path, body) = "POST /api/compare", ("POST", "/api/compare", pair)
            else:
                name, make = rng.choice(reads)
                method, path, body = make(rng)
            started = time.perf_counter()
            try:
                response = client.request(method, path, json=body)
                ok = response.status_code == 200
                detail = f"{name}: {response.status_code} {response.text[:200]}"
            except httpx.HTTPError as error:
                ok, detail = False, f"{name}: {error!r}"
            elapsed = time.perf_counter() - started
            with guard:
                latencies.setdefault(name, []).append(elapsed)
                if not ok:
                    errors.append(detail)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    read_latencies = [x for name, values in latencies.items() if name.startswith("GET")
                      for x in values]  # fmt: skip
    rows = {
        name: {
            "requests": len(values),
            "p50_ms": 1000 * statistics.median(values),
            "p99_ms": 1000 * _percentile(values, 0.99),
        }
        for name, values in sorted(latencies.items())
    }
    return {
        "seconds": wall,
        "requests": sum(len(v) for v in latencies.values()),
        "rps": sum(len(v) for v in latencies.values()) / wall,
        "errors": len(errors),
        "error_examples": errors[:5],
        "reads": {
            "requests": len(read_latencies),
            "rps": len(read_latencies) / wall,
            "p50_ms": 1000 * statistics.median(read_latencies) if read_latencies else None,
            "p99_ms": 1000 * _percentile(read_latencies, 0.99),
        },
        "endpoints": rows,
    }


def _print_mixed(result: dict[str, Any]) -> None:
    print(
        f"{result['seconds']:.0f} s, concurrency {result['concurrency']}: {result['requests']} "
        f"requests ({result['rps']:.1f}/s), {result['errors']} errors; server memory "
        f"{result['rss_before_mb']:.0f} MB before, {result['rss_after_mb']:.0f} MB after\n"
    )
    print("| requests | count | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    reads = result["reads"]
    print(f"| all reads | {reads['requests']} | {reads['p50_ms']:.0f} | {reads['p99_ms']:.0f} |")
    for name, row in result["endpoints"].items():
        print(f"| `{name}` | {row['requests']} | {row['p50_ms']:.0f} | {row['p99_ms']:.0f} |")
    for example in result["error_examples"]:
        print(f"error: {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mixed", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--compare-share", type=float, default=0.1)
    parser.add_argument("--max-requests", type=int, default=100_000)
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
            if args.mixed is not None:
                stories = client.get("/api/stories", params={"per_page": 200}).json()["stories"]
                article_ids = [a["id"] for a in added.json()["articles"]]
                for story_id in [s["id"] for s in stories]:  # warm: first views analyse members
                    client.get(f"/api/stories/{story_id}")
                client.post("/api/compare", json=pair)
                rss_before = _rss_mb(server.pid)
                mixed = _mixed(
                    client, [s["id"] for s in stories], article_ids, pair, args.mixed,
                    args.concurrency, args.compare_share, args.max_requests,
                )  # fmt: skip
                time.sleep(1)
                mixed.update(
                    rss_before_mb=rss_before, rss_after_mb=_rss_mb(server.pid),
                    concurrency=args.concurrency, store=client.get("/healthz").json(),
                )  # fmt: skip
                if args.json:
                    print(json.dumps(mixed))
                else:
                    _print_mixed(mixed)
                return
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
