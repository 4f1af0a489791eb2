"""``samestory extract``: output formats, skipped-item lines, --errors file, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from samestory.cli import app

BODY = "The river flooded the lower town on Monday. Two hundred homes were evacuated overnight."


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["extract", *args])


def test_jsonl_output_with_errors_file_and_exit_0(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Flood in town\n\n{BODY}", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"title": "Flood", "text": BODY, "url": "https://e.x/f"}) + "\n{oops\n",
        encoding="utf-8",
    )
    errors = tmp_path / "errors.jsonl"
    result = _run(str(tmp_path), "--errors", str(errors))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["title"] for r in records] == ["Flood in town", "Flood"]
    assert all(len(r["id"]) == 20 for r in records)
    assert "skipped" in result.stderr and "line 2" in result.stderr
    assert "read 2 articles, skipped 1 item" in result.stderr
    [skipped] = [json.loads(line) for line in errors.read_text().splitlines()]
    assert skipped["file"].endswith("b.jsonl") and skipped["record"] == "line 2"


def test_a_date_that_cannot_be_read_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [{"text": BODY, "published": "March 5, 2020"},
               {"text": BODY + " More.", "published": "sometime soon 9"}]  # fmt: skip
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = _run(str(feed))
    assert result.exit_code == 0, result.output
    dates = [json.loads(line)["published"] for line in result.stdout.splitlines()]
    assert dates == ["2020-03-05", None]
    assert "1 publication date could not be read and was left out" in result.stderr
    assert "'sometime soon 9' in " in result.stderr and "feed.jsonl#2" in result.stderr


def test_text_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Flood in town\n\n{BODY}", encoding="utf-8")
    result = _run(str(tmp_path / "a.txt"), "--format", "text")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Flood in town\nid: ")
    assert BODY in result.stdout


def test_exit_2_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = _run(str(tmp_path / "empty.txt"), str(tmp_path / "missing.html"))
    assert result.exit_code == 2
    assert "read 0 articles, skipped 2 items" in result.stderr


def test_bad_options_exit_2(tmp_path: Path) -> None:
    assert _run(str(tmp_path), "--format", "xml").exit_code == 2
    assert _run(str(tmp_path), "--field", "nonsense").exit_code == 2
    assert _run(str(tmp_path), "--field", "body=x").exit_code == 2


def test_field_override_and_glob(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text(json.dumps({"story": BODY}) + "\n", encoding="utf-8")
    (tmp_path / "y.txt").write_text(BODY, encoding="utf-8")
    result = _run(str(tmp_path), "--field", "text=story", "--glob", "*.jsonl")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1


def test_stdin_jsonl() -> None:
    data = json.dumps({"title": "Piped", "text": BODY}) + "\n"
    result = CliRunner().invoke(app, ["extract", "-"], input=data)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"] == "<stdin>#1"


def test_inputs_are_never_overwritten_and_empty_inputs_say_why(tmp_path: Path) -> None:
    records = tmp_path / "a.jsonl"
    records.write_text(json.dumps({"text": BODY}) + "\n", encoding="utf-8")
    result = _run(str(records), "--errors", str(records))
    assert result.exit_code == 2 and "is one of the inputs" in result.stderr
    assert records.read_text(encoding="utf-8").strip()  # untouched
    (tmp_path / "empty").mkdir()
    result = _run(str(tmp_path / "empty"), str(tmp_path / "empty"), "--glob", "*.zzz")
    assert "a folder without files matching --glob '*.zzz'" in result.stderr
    twice = CliRunner().invoke(app, ["extract", "-", "-"], input=json.dumps({"text": BODY}))
    assert twice.exit_code == 0 and "give - only once" in twice.stderr


def test_language_fields_are_iso_639_1_codes(tmp_path: Path) -> None:
    rows = [
        {"text": BODY, "lang": "en-GB"},
        {"text": BODY + " Again.", "lang": "eng"},
        {"text": BODY + " Once more.", "lang": "jp"},  # no such code: the text says English
        {"text": BODY + "\u0000 With a NUL.", "title": "Flood\u0000", "lang": "English"},
    ]
    (tmp_path / "langs.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    result = _run(str(tmp_path / "langs.jsonl"))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["lang"] for r in records] == ["en", "en", "en", "en"]
    assert "\u0000" not in records[3]["text"] and records[3]["title"] == "Flood"
