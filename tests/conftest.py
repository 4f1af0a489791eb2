"""Shared fixtures: paths to the bundled example and to ../shared/data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "event-pair"
SHARED = Path(__import__("os").environ.get("SAMESTORY_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(
            f"evaluation data not found at {DATA} (set SAMESTORY_SHARED to the shared/ folder)"
        )
    return DATA
