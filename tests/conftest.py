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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real ``samestory serve`` the web tests share (``test_web_support.live_server``),
    started on first use and stopped at the end of the session."""
    from test_web_support import live_server

    running = live_server(tmp_path_factory)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def client(server):  # type: ignore[no-untyped-def]
    """An HTTP client of the shared server."""
    with server.client() as c:
        yield c
