"""Fuzz run: the robustness properties of tests/test_robustness_fuzz.py with many examples.

    .venv/bin/python benchmarks/fuzz.py [--examples 2000] [--seed N]

Runs every property (each reader on generated files, folders and strings; compare on
generated texts) with ``--examples`` examples each (compare gets a quarter: it is ~100 times
slower), each case bounded in time, and prints how many reader/compare calls ran and whether
any failed. A failure prints hypothesis' shrunk example. The default test suite runs the same
properties with 200 examples.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    os.environ["SAMESTORY_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["SAMESTORY_FUZZ_SEED"] = str(seed)  # also turns off derandomize
    started = time.perf_counter()
    code = pytest.main(
        [str(REPO / "tests" / "test_robustness_fuzz.py"), "-q", "-p", "no:cacheprovider",
         f"--hypothesis-seed={seed}", "--hypothesis-show-statistics"]
    )  # fmt: skip
    seconds = time.perf_counter() - started
    cases = sys.modules["_robustness"].CASES
    print(f"\nseed {seed}, {args.examples} examples per property, {seconds:.0f} s")
    for name, count in sorted(cases.items()):
        print(f"  {name:18} {count:6d} calls")
    print(f"  {'total':18} {sum(cases.values()):6d} calls; outcome: "
          + ("all passed" if code == 0 else f"FAILED (pytest exit {code})"))  # fmt: skip
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
