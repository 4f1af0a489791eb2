"""Helpers of the robustness tests: a time bound per case and the one allowed kind of failure."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

from samestory.errors import SamestoryError

T = TypeVar("T")

# Seconds one case (one reader call, one comparison) may take on the shared, noisy 2-core
# machine before it counts as a hang; the slowest measured case takes well under a second.
CASE_SECONDS = int(os.environ.get("SAMESTORY_CASE_SECONDS", "30"))

# Default suite: a modest number of examples per property; `benchmarks/fuzz.py` sets
# SAMESTORY_FUZZ_EXAMPLES to run many more (see BENCHMARKS.md, Robustness).
EXAMPLES = int(os.environ.get("SAMESTORY_FUZZ_EXAMPLES", "200"))
settings.register_profile(
    "samestory-robustness",
    max_examples=EXAMPLES,
    deadline=None,  # the time bound is CASE_SECONDS, enforced by an alarm
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("SAMESTORY_FUZZ_SEED") is None,
)  # fmt: skip
ROBUST = settings.get_profile("samestory-robustness")


def require_slow(config: Any) -> None:
    """Skip a ``slow`` test unless the run asked for them (``pytest -m slow``)."""
    import pytest

    if "slow" not in (config.getoption("-m") or ""):
        pytest.skip("slow: run with `pytest -m slow tests/test_robustness*.py`")


# cases run, by test name: benchmarks/fuzz.py reports them
CASES: dict[str, int] = {}


# a BaseException, so that no `except Exception` inside a reader swallows it
class Hang(BaseException):
    """A case ran past CASE_SECONDS."""


@contextlib.contextmanager
def time_limit(seconds: int = CASE_SECONDS) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outcome(name: str, call: Callable[[], T], *, names: str | None = None) -> T | SamestoryError:
    """``call()``'s result, or the SamestoryError it raised; anything else fails the test.

    ``names``: a text the error message must contain (the file name), when it raises.
    """
    CASES[name] = CASES.get(name, 0) + 1
    try:
        with time_limit():
            return call()
    except SamestoryError as error:
        message = str(error)
        assert message.strip(), "an error without a message"
        if names is not None:
            assert names in message, f"the message does not name {names!r}: {message}"
        return error
