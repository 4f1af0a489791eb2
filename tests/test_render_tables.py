"""Tables for `samestory train` and `samestory eval similarity` reports, and list tables."""

from __future__ import annotations

import io
import math

from rich.console import Console

from samestory.compare.comparison import DIMENSIONS
from samestory.render.tables import (
    list_table,
    print_similarity_report,
    print_training_report,
    shorten,
)


def pearson(base: float) -> dict[str, float]:
    return {d: round(base - 0.01 * k, 4) for k, d in enumerate(DIMENSIONS)}


TRAINING_REPORT = {
    "pairs": 4412,
    "skipped": 9,
    "folds": 5,
    "seed": 13,
    "model": {
        "pearson": pearson(0.79),
        "by_language": {
            "en-en": {"pairs": 1200, "overall": 0.81},
            "de-en": {"pairs": 12, "overall": 0.7},
        },
    },
    "baselines": {
        "embedding_cosine": {"pearson": pearson(0.72)},
        "lexical_head": {
            "pearson": {**pearson(0.6), "tone": math.nan},
            "by_language": {"en-en": {"pairs": 1200, "overall": 0.66}},
        },
    },
    "model_file": "src/samestory/compare/pair_model.json.gz",
    "model_version": "0123456789ab",
}

SIMILARITY_REPORT = {
    "pairs": 300,
    "skipped": 2,
    "pearson": pearson(0.77),
    "by_language": {
        "en-en": {"pairs": 200, "overall": 0.8},
        "es-en": {"pairs": 100, "overall": 0.75},
    },
    "seconds_per_pair": 0.0412,
}


def render(function, report, width: int = 100) -> str:
    buffer = io.StringIO()
    function(report, console=Console(file=buffer, width=width, force_terminal=False))
    return buffer.getvalue()


def test_training_report_shows_model_beside_baselines():
    text = render(print_training_report, TRAINING_REPORT)
    for dimension in DIMENSIONS:
        assert dimension.capitalize() in text
    assert "embedding cosine" in text and "lexical head" in text and "Δ vs cosine" in text
    assert "0.750" in text  # model Overall (0.79 - 4 * 0.01)
    assert "+0.070" in text  # model minus cosine
    assert "de-en" in text and "*" in text  # the small language pair is flagged
    assert "4412" in text and "0123456789ab" in text
    assert "nan" not in text.lower()


def test_similarity_report_and_a_narrow_terminal():
    text = render(print_similarity_report, SIMILARITY_REPORT, width=60)
    assert "Overall" in text and "0.730" in text and "es-en" in text and "0.041" in text
    assert max(len(line) for line in text.splitlines()) <= 60


def test_partial_reports_do_not_crash():
    assert "Similarity evaluation" in render(print_similarity_report, {"pairs": 0})
    assert "Pair model" in render(print_training_report, {"pairs": 0, "model": {}})


def test_list_table_leaves_out_empty_columns_and_shortens() -> None:
    rows = [("s1", "", shorten("a long headline " * 10, 30)), ("s2", "", "short")]
    table = list_table("stories", ("id", "first seen", "headline"), rows, no_wrap=("id",))
    assert [c.header for c in table.columns] == ["id", "headline"]
    assert len(rows[0][2]) == 30 and rows[0][2].endswith("…")
    console = Console(file=io.StringIO(), width=100)
    console.print(table)
    assert "first seen" not in console.file.getvalue()  # type: ignore[attr-defined]


def test_list_table_prints_brackets_as_text() -> None:
    # a headline is data, not rich markup: "[/]" must not raise, "[bold]" must stay visible
    table = list_table("stories", ("id", "headline"), [("s1", "Update [/] vote [bold] now")])
    console = Console(file=io.StringIO(), width=100)
    console.print(table)
    assert "Update [/] vote [bold] now" in console.file.getvalue()  # type: ignore[attr-defined]
