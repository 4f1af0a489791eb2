"""Benchmark files with broken parts: the bad row, line, page or data set is left out and
counted, the rest is scored; what cannot be scored at all is one clear error, never a
traceback, and never a NaN in a JSON report."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from samestory.cli import app
from samestory.compare.training import check_cache_dir, evaluate_predictions, load_pairs
from samestory.errors import InputError
from samestory.eval.clustering import bcubed, load_dataset
from samestory.eval.conflicts import _article, load_items
from samestory.eval.extraction import evaluate_extraction

HEADER = "pair_id,lang1,lang2,title1,text1,title2,text2,Geography,Entities,Time,Narrative,Overall,Style,Tone\n"


def _row(pair_id: str, text: str = "Storm hits the coast", overall: str = "2.0") -> str:
    gold = ",".join(["2.0"] * 4 + [overall] + ["2.0"] * 2)
    return f"{pair_id},en,en,,{text} today.,,{text} again.,{gold}\n"


def test_pairs_in_latin1_with_bad_gold_rows(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    rows = [_row("1_2", "Zürich café"), _row("3_4", overall="nan"), _row("5_6", overall="7"),
            _row("7_8", overall="three"), _row("", "no id")]  # fmt: skip
    pairs.write_bytes((HEADER + "".join(rows)).encode("latin-1"))
    loaded, skipped = load_pairs(pairs)
    assert [row.pair_id for row in loaded] == ["1_2"] and skipped == 4
    assert loaded[0].text1 == "Zürich café today."


def test_pairs_gzipped_binary_and_missing_gold_columns(tmp_path: Path) -> None:
    packed = tmp_path / "pairs.csv.gz"
    packed.write_bytes(gzip.compress((HEADER + _row("1_2")).encode()))
    assert len(load_pairs(packed)[0]) == 1
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(InputError, match="binary"):
        load_pairs(binary)
    no_gold = tmp_path / "no-gold.csv"
    no_gold.write_text("pair_id,text1,text2\n1_2,a b,c d\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing columns \['Entities'"):
        load_pairs(no_gold)
    assert len(load_pairs(no_gold, require_gold=False)[0]) == 1


def test_undefined_pearson_is_null_in_json() -> None:
    constant = np.full((4, 7), 2.0)
    report = evaluate_predictions(constant, constant + np.arange(4)[:, None], ["en-en"] * 4)
    assert report["pearson"]["overall"] is None
    assert report["by_language"]["en-en"]["overall"] is None
    assert "NaN" not in json.dumps(report)


def test_train_refuses_bad_folds_and_its_own_input_before_work(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(HEADER + _row("1_2") + _row("3_4"), encoding="utf-8")
    runner = CliRunner()
    folds = runner.invoke(app, ["train", str(pairs), "--folds", "1", "-o", str(tmp_path / "m")])
    assert folds.exit_code == 2 and "--folds must be at least 2" in folds.output
    onto = runner.invoke(app, ["train", str(pairs), "-o", str(pairs)])
    assert onto.exit_code == 2 and "is the pairs file being read" in onto.output
    few = runner.invoke(app, ["train", str(pairs), "-o", str(tmp_path / "m"),
                              "--cache-dir", str(tmp_path / "cache")])  # fmt: skip
    assert few.exit_code == 2 and "needs at least 5 groups" in few.output
    predictions = runner.invoke(
        app, ["eval", "similarity", str(pairs), "--predictions", str(pairs)]
    )
    assert predictions.exit_code == 2 and "is the pairs file being scored" in predictions.output
    assert pairs.read_text(encoding="utf-8").startswith("pair_id")  # nothing was overwritten


def test_cache_dir_that_is_a_file(tmp_path: Path) -> None:
    a_file = tmp_path / "cache"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file; give a folder for --cache-dir"):
        check_cache_dir(a_file)


def test_googlenews_lines_blank_bad_and_crlf(tmp_path: Path) -> None:
    tsv = tmp_path / "news.tsv"
    tsv.write_bytes(b"1\tStorm hits coast\r\nbroken line\n2\t \n1\tCoast storm\n\n\n")
    dataset = load_dataset(tsv)
    assert dataset.labels == ["1", "1"]
    assert [a.text for a in dataset.articles] == ["Storm hits coast", "Coast storm"]
    assert [s.split(": ")[0] for s in dataset.skipped] == [f"{tsv}:2", f"{tsv}:3"]
    (tmp_path / "empty.tsv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="the file is empty"):
        load_dataset(tmp_path / "empty.tsv")
    assert bcubed(np.array([]), np.array([])) == (0.0, 0.0, 0.0)


def test_wikiref_empty_article_is_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "WikiRefTiny"
    folder.mkdir()
    (folder / "storm.1.txt").write_text("A storm hit the coast on Monday.", encoding="utf-8")
    (folder / "storm.2.txt").write_text("", encoding="utf-8")
    dataset = load_dataset(folder)
    assert dataset.labels == ["storm"] and len(dataset.skipped) == 1
    assert "storm.2.txt" in dataset.skipped[0]


def test_a_bad_data_set_in_a_folder_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "bad.tsv").write_text("no tab here\n", encoding="utf-8")
    (tmp_path / "empty.tsv").write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "clustering", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "bad.tsv: no items could be read (1 skipped)" in result.output
    assert "none of its 2 data sets could be read" in result.output


def test_conflict_lines_left_out_one_by_one(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    good = {"id": "1", "lang": "en", "kind": "Number", "a": "Ten died.", "b": "Twelve died."}
    items.write_text(
        "\n".join(
            [json.dumps(good), "{broken", "[1, 2]", json.dumps({**good, "kind": "colour"}), ""]
        ),
        encoding="utf-8",
    )
    loaded, skipped = load_items(items)
    assert [item.kind for item in loaded] == ["number"]
    assert [line.split(": ")[0] for line in skipped] == [f"{items}:{n}" for n in (2, 3, 4)]
    article = _article({"text": "Ten died.", "title": 42, "lang": ["en"]}, "items.jsonl:1 a")
    assert article.title != "42"


def _wcxb(tmp_path: Path) -> Path:
    root = tmp_path / "wcxb"
    (root / "html").mkdir(parents=True)
    (root / "ground-truth").mkdir()
    page = "<html><body><article><p>The storm hit the coast.</p></article></body></html>"
    for n in range(1, 6):
        (root / "html" / f"000{n}.html.gz").write_bytes(gzip.compress(page.encode()))
        truth = {"ground_truth": {"main_content": "The storm hit the coast."}}
        (root / "ground-truth" / f"000{n}.json").write_text(json.dumps(truth), encoding="utf-8")
    (root / "html" / "0002.html.gz").write_bytes(gzip.compress(page.encode())[:20])  # truncated
    (root / "ground-truth" / "0003.json").write_text("{not json", encoding="utf-8")
    (root / "ground-truth" / "0004.json").write_text('{"ground_truth": {"main_content": 7}}',
                                                      encoding="utf-8")  # fmt: skip
    (root / "html" / "0005.html.gz").unlink()
    return root


def test_unreadable_benchmark_pages_are_left_out_and_counted(tmp_path: Path) -> None:
    def copy(html: str) -> str:
        return "The storm hit the coast." if "storm" in html else ""

    report = evaluate_extraction(
        _wcxb(tmp_path), extractors={"samestory": copy, "trafilatura": copy}
    )
    assert report["pages"] == 1 and report["skipped"] == 4
    assert report["samestory"]["f1"] == 1.0
    reasons = " ".join(report["skipped_pages"])
    for expected in ("corrupt or truncated gzip", "not valid JSON", "not a text", "no 0005.html"):
        assert expected in reasons


def test_broken_scrapinghub_ground_truth_is_one_error(tmp_path: Path) -> None:
    root = tmp_path / "sh"
    (root / "html").mkdir(parents=True)
    (root / "ground-truth.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match=r"ground-truth.json: expected an object"):
        evaluate_extraction(root, extractors={"samestory": str, "trafilatura": str})
