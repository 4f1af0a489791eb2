"""Extraction benchmark harness: the two published metrics and a short run on real pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from samestory.cli import app
from samestory.errors import InputError
from samestory.eval.extraction import evaluate_extraction, scrapinghub_score, wcxb_score


def test_scrapinghub_metric_matches_its_definition() -> None:
    reference = "one two three four five six"
    assert scrapinghub_score(reference, reference).f1 == 1.0
    # 3 shingles in the reference; the prediction has the first 2 and 1 extra.
    score = scrapinghub_score(reference, "one two three four five extra")
    assert score.counts == pytest.approx((2 / 4, 1 / 4, 1 / 4))
    assert score.precision == pytest.approx(2 / 3) and score.recall == pytest.approx(2 / 3)
    # Case is kept (\w+ tokens, no lower-casing), as in the benchmark's evaluate.py.
    assert scrapinghub_score("One two three four", "one two three four").f1 == 0.0


def test_wcxb_metric_matches_its_definition() -> None:
    score = wcxb_score("The cat sat on the mat", "the cat sat")
    assert score.precision == 1.0 and score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 / 3)
    assert wcxb_score("", "").f1 == 1.0 and wcxb_score("words", "").f1 == 0.0


def test_unknown_method_exits_2_naming_the_choices(data_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", "extraction", str(data_dir / "extraction" / "scrapinghub-aeb"),
              "--method", "magic"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "trafilatura, precise or blocks" in result.output


def test_unknown_layout_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ground-truth"):
        evaluate_extraction(tmp_path)


@pytest.mark.parametrize(
    ("benchmark", "method"),
    [("scrapinghub-aeb", "trafilatura"), ("wcxb-articles", "trafilatura"),
     ("scrapinghub-aeb", "precise")],
)  # fmt: skip
def test_short_run_on_real_pages(data_dir: Path, benchmark: str, method: str) -> None:
    result = CliRunner().invoke(
        app, ["eval", "extraction", str(data_dir / "extraction" / benchmark), "--json",
              "--limit", "4", "--method", method],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["pages"] == 4 and report["method"] == method
    for name in ("samestory", "trafilatura"):
        assert set(report[name]) >= {"precision", "recall", "f1", "pages_per_second"}
        assert 0.5 < report[name]["f1"] <= 1.0
        assert report[name]["pages_per_second"] > 0
