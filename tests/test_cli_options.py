"""Bad option values and output paths: one clear line naming the option, exit 2, before any
work is done, and nothing left behind (no empty store, no half-written file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from samestory.cli import app

TEXT = "A flood hit Valencia on Monday, closing roads and schools across the region."


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"title": "Flood", "text": TEXT}) + "\n", encoding="utf-8")
    two = tmp_path / "two.jsonl"
    two.write_text(one.read_text(encoding="utf-8") * 2, encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    return {"one": one, "two": two, "text": text, "dir": tmp_path}


CASES = [
    # (arguments, words the error line must hold); {x} are filled from ``files``
    (["compare", "{text}", "{text}", "-o", "{dir}/no/such/folder/x.json"], "there is no folder"),
    (["compare", "{text}", "{text}", "-o", "{dir}"], "is a folder"),
    (["diff", "{text}", "{text}", "-o", "{dir}/no/x.json"], "there is no folder"),
    (["cluster", "{one}", "--db", "{dir}/s.db", "--threshold", "7"], "--threshold must be"),
    (["cluster", "{one}", "--db", "{dir}/s.db", "--threshold", "nan"], "--threshold must be"),
    (["cluster", "{one}", "--db", "{dir}/s.db", "--window", "-5"], "--window must be"),
    (["cluster", "{one}", "--db", "{dir}/no/s.db"], "there is no folder"),
    (["cluster", "{one}", "--db", "{dir}"], "is a folder"),
    (["eval", "clustering", "{text}", "--k", "0"], "--k must be"),
    (["eval", "clustering", "{text}", "--chunks", "0"], "--chunks must be"),
    (["eval", "extraction", "{dir}", "--limit", "-3"], "--limit must be"),
    (["extract", "{one}", "--max-size", "-1"], "--max-size must be"),
    (["extract", "{one}", "--html-method", "foo"], "--html-method"),
    (["extract", "{one}", "--field", "foo=body"], "--field foo=body"),
    (["compare", "{two}", "{text}"], "holds several articles"),
]


@pytest.mark.parametrize(("arguments", "expected"), CASES)
def test_bad_values_get_one_line_naming_the_option(files, arguments, expected) -> None:
    filled = [a.format(**{k: str(v) for k, v in files.items()}) for a in arguments]
    result = CliRunner().invoke(app, filled)
    assert result.exit_code == 2, result.output
    assert "samestory: error: " in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not (files["dir"] / "s.db").exists()


def test_a_json_article_can_be_compared(files) -> None:
    result = CliRunner().invoke(
        app, ["compare", str(files["one"]), str(files["text"]), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["a"]["title"] == "Flood" and data["same_event"] is True


def test_cluster_that_reads_nothing_leaves_no_store(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text("  \n", encoding="utf-8")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["cluster", str(tmp_path / "blank.txt"), "--db", str(db)])
    assert result.exit_code == 2
    assert not list(tmp_path.glob("s.db*"))


def test_serve_on_a_busy_port_says_so_before_announcing_itself(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)]
        )
    assert result.exit_code == 2
    assert "the port is in use" in result.stderr and "serving" not in result.stderr


def test_pairs_file_problems_are_named(tmp_path: Path) -> None:
    half = tmp_path / "half.jsonl"
    half.write_text(json.dumps({"a": TEXT}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", "--pairs", str(half)])  # jsonl by default
    assert result.exit_code == 2 and 'the object has no "b"' in result.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", "--pairs", str(empty)])
    assert result.exit_code == 2 and "no pairs in it" in result.stderr
    assert "compared 0 pairs" not in result.stderr  # the error alone, not a summary first


def test_a_page_without_article_text_says_how_little_it_has(tmp_path: Path) -> None:
    page = tmp_path / "short.html"
    page.write_text("<html><body><p>Short.</p></body></html>", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(page), str(page)])
    assert result.exit_code == 2 and "has 1 word; at least 5 are needed" in result.stderr
