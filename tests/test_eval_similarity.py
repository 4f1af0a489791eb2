"""``samestory eval similarity`` on a slice of STS22: JSON shape, broken rows skipped and counted."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path


def test_eval_similarity_json(data_dir: Path, tmp_path: Path) -> None:
    csv.field_size_limit(sys.maxsize)
    with (data_dir / "sts22" / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        rows = [r for _, r in zip(range(24), reader, strict=False)]
    rows[3]["text1"] = ""  # a missing text
    rows[5]["Overall"] = "n/a"  # a broken gold score
    sample = tmp_path / "pairs.csv"
    with sample.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    predictions = tmp_path / "predictions.csv"
    result = subprocess.run(
        [sys.executable, "-m", "samestory", "eval", "similarity", str(sample), "--json",
         "--predictions", str(predictions)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["pairs"] == 22 and report["skipped"] == 2
    assert set(report["pearson"]) == {
        "geography", "entities", "time", "narrative", "overall", "style", "tone"
    }  # fmt: skip
    assert report["pearson"]["overall"] > 0.3
    assert all({"pairs", "overall"} <= set(v) for v in report["by_language"].values())
    assert report["seconds_per_pair"] > 0
    assert len(predictions.read_text(encoding="utf-8").splitlines()) == 23
    # each skipped row is named with its line and why, and the predictions carry the gold
    assert len(report["skipped_rows"]) == 2 and all(":" in r for r in report["skipped_rows"])
    assert result.stderr.count("samestory: skipped ") == 2
    with predictions.open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert {"language_pair", "gold_overall", "overall"} <= set(first)


def test_eval_similarity_table(data_dir: Path, tmp_path: Path) -> None:
    missing = subprocess.run(
        [sys.executable, "-m", "samestory", "eval", "similarity", str(tmp_path / "nope.csv")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 2 and "nope.csv" in missing.stderr
    assert "Traceback" not in missing.stderr
