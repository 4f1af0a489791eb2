#!/usr/bin/env bash
# Install samestory with its test extras in ./.venv and run the test suite (slow benchmarks excluded).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,server,docs,spark]"
.venv/bin/python -m pytest -m "not slow" "$@"
