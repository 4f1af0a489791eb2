"""``samestory compare`` as a user runs it: real subprocesses, exit codes, outputs."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

SAMESTORY = [sys.executable, "-m", "samestory"]


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SAMESTORY, *args], input=stdin.decode() if stdin else None, capture_output=True,
        text=True, timeout=300, cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pair(example_dir) -> tuple[str, str]:
    return (
        str(example_dir / "first-report-web-copy.txt"),
        str(example_dir / "update-translated.txt"),
    )


def test_help_is_fast_and_lists_commands() -> None:
    started = time.perf_counter()
    result = run("--help")
    elapsed = time.perf_counter() - started
    assert result.returncode == 0
    assert "compare" in result.stdout
    assert elapsed < 3.0  # a whole interpreter start included; the import itself is ~0.3 s


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("samestory ")


def test_terminal_report(pair) -> None:
    result = run("compare", *pair)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Same event" in out or "SAME EVENT" in out.upper()
    for dimension in ("Geography", "Entities", "Time", "Narrative", "Overall", "Style", "Tone"):
        assert dimension in out
    assert "Las Cruses" in out and "Jarrett" in out


def test_json_output_and_stdin(pair) -> None:
    a, b = pair
    result = run("compare", "-", b, "--format", "json", stdin=Path(a).read_bytes())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["same_event"] is True
    assert data["a"]["source"] == "<stdin>"
    assert any(c["kind"] == "place" and c["a"] == "Las Cruses" for c in data["conflicts"])


def test_html_report_is_standalone(pair, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = run("compare", *pair, "--format", "html", "-o", str(report))
    assert result.returncode == 0, result.stderr
    html = report.read_text(encoding="utf-8")
    assert "Las Cruses" in html and "Darian Jarrott" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_pairs_jsonl_in_input_order(pair, tmp_path: Path, data_dir: Path) -> None:
    a, b = (Path(p).read_text(encoding="utf-8") for p in pair)
    lines = [
        {"a": a, "b": b},
        {"a": {"text": b, "lang": "en", "published": "2021-02-05"}, "b": a},
        "not json",
        {"a": "", "b": b},
        {"a": b, "b": b},
    ]
    pairs_file = tmp_path / "pairs.jsonl"
    pairs_file.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    result = run("compare", "--pairs", str(pairs_file), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["same_event"] and out[1]["same_event"] and out[4]["same_event"]
    assert out[0]["scores"] == pytest.approx(out[1]["scores"], abs=1e-3)
    assert out[2]["line"] == 3 and "JSON" in out[2]["error"]
    assert out[3]["line"] == 4 and "error" in out[3]
    assert "3 pairs" in result.stderr or "compared 3" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  \n", "empty"),
        ("binary.bin", bytes(range(256)) * 20, "binary"),
        ("punct.txt", b"... !!! ???\n---\n", "no article text"),
        ("boiler.txt", b"Recommended for you\n(0) comments\nShare this\n", "boilerplate"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, pair, name, content, expected) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("compare", str(path), pair[1])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and expected in lines[0].lower()


def test_undecodable_text_is_decoded_or_refused_clearly(tmp_path: Path, pair) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        "Le président a déclaré jeudi à Montréal que la réunion était terminée.".encode("latin-1")
    )
    result = run("compare", str(path), pair[1], "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "président" in json.loads(result.stdout)["sentences"]["a"][0]


def test_compare_needs_no_network(pair) -> None:
    """The whole compare path runs with every socket refused."""
    code = textwrap.dedent(
        """
        import socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network disabled in this test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from samestory.cli import main
        sys.argv = ["samestory", "compare", sys.argv[1], sys.argv[2], "--format", "json"]
        main()
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NO_PROXY": "*"}
    result = subprocess.run(
        [sys.executable, "-c", code, *pair], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["same_event"] is True


@pytest.mark.parametrize("command", ["compare", "diff"])
def test_unknown_html_method_is_refused(pair, command) -> None:
    result = run(command, *pair, "--html-method", "magic")
    assert result.returncode == 2
    assert "trafilatura, precise or blocks" in result.stderr


# --- compare --pairs: bad lines, encodings, outputs -----------------------------------------

FLOOD = "A flood hit Valencia on Monday and killed ten people, officials said."
FLOOD_2 = "Ten people died in floods in Valencia on Monday, the regional government said."


def invoke(*args: str) -> Any:
    """The CLI in this process (the models stay loaded between tests)."""
    from typer.testing import CliRunner

    from samestory.cli import app

    return CliRunner().invoke(app, list(args))


def write_pairs(path: Path, *lines: object) -> Path:
    path.write_text(
        "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
        encoding="utf-8",
    )
    return path


def test_pairs_fields_of_wrong_type_are_line_errors(tmp_path: Path) -> None:
    pairs = write_pairs(
        tmp_path / "pairs.jsonl",
        {"a": FLOOD, "b": FLOOD_2},
        {"a": {"text": FLOOD, "title": 5}, "b": FLOOD_2},
        {"a": FLOOD, "b": {"text": FLOOD_2, "url": ["x"]}},
        {"a": {"text": FLOOD, "published": 12345}, "b": FLOOD_2},
        {"a": {"text": FLOOD, "published": "yesterday"}, "b": FLOOD_2},
        {"a": {"text": FLOOD, "published": [2024]}, "b": FLOOD_2},
        {"a": {"text": FLOOD, "lang": 7}, "b": FLOOD_2},
        {"a": {"text": 5}, "b": FLOOD_2},
        {"a": {"text": FLOOD, "lang": "English", "published": "Mon, 28 Oct 2024 10:00:00 +0000"},
         "b": FLOOD_2},
        {"a": "", "b": FLOOD_2},
    )  # fmt: skip
    out = tmp_path / "out.jsonl"
    result = run("compare", "--pairs", str(pairs), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"wrote {out}" in result.stderr.splitlines()
    assert "compared 3 pairs, 7 failed" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 10
    errors = {row["line"]: row["error"] for row in rows if "error" in row}
    assert errors == {
        2: f"{pairs}:2: a.title must be a string, got 5",
        3: f'{pairs}:3: b.url must be a string, got ["x"]',
        5: f'{pairs}:5: a.published "yesterday" is not a date; write it as YYYY-MM-DD, '
        "an RFC 2822 date or a Unix timestamp",
        6: f"{pairs}:6: a.published must be a date string or a Unix timestamp, got [2024]",
        7: f"{pairs}:7: a.lang must be a string, got 7",
        8: f"{pairs}:8: a.text must be a string, got 5",
        10: f"{pairs}:10: a is an empty text; give the text of the article",
    }
    assert rows[3]["a"]["published"] == "1970-01-01"  # a Unix timestamp, as the readers read it
    assert rows[8]["a"]["published"] == "2024-10-28" and rows[8]["a"]["lang"] == "en"


def test_pairs_output_onto_the_pairs_file_is_refused(tmp_path: Path) -> None:
    pairs = write_pairs(tmp_path / "pairs.jsonl", {"a": FLOOD, "b": FLOOD_2})
    before = pairs.read_bytes()
    (tmp_path / "link.jsonl").symlink_to(pairs)
    for output in ("pairs.jsonl", f"../{tmp_path.name}/pairs.jsonl", "link.jsonl"):
        result = run("compare", "--pairs", "pairs.jsonl", "-o", output, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == (
            f"samestory: error: -o {output} is the --pairs file; write the results elsewhere\n"
        )
        assert pairs.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("bom.jsonl", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("utf16.jsonl", lambda text: text.encode("utf-16")),
        ("utf16be.jsonl", lambda text: b"\xfe\xff" + text.encode("utf-16-be")),
        ("pairs.jsonl.gz", lambda text: gzip.compress(text.encode("utf-8"))),
        ("pairs.data", lambda text: gzip.compress(text.encode("utf-16"))),  # no .gz in the name
    ],
)
def test_pairs_file_is_read_like_other_inputs(tmp_path: Path, name: str, encode: Any) -> None:
    lines = [{"a": FLOOD, "b": FLOOD_2}, {"a": "Une crue à València a fait dix morts.", "b": FLOOD}]
    path = tmp_path / name
    path.write_bytes(encode("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)))
    result = invoke("compare", "--pairs", str(path))
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2 and all("error" not in row for row in rows), rows
    assert rows[1]["sentences"]["a"] == ["Une crue à València a fait dix morts."]
    assert "compared 2 pairs, 0 failed" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (bytes(range(256)) * 20, "this looks like a binary file, not JSON lines"),
        (gzip.compress(bytes(range(256)) * 20), "this looks like a binary file, not JSON lines"),
        (gzip.compress(b'{"a": "x", "b": "y"}\n')[:15], "corrupt or truncated gzip data"),
        (None, "is a folder; give the JSONL file"),
    ],
    ids=["binary", "gzipped-binary", "truncated-gzip", "folder"],
)
def test_unreadable_pairs_file_is_one_clear_line(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "pairs.jsonl"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    out = tmp_path / "out.jsonl"
    result = invoke("compare", "--pairs", str(path), "-o", str(out))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"samestory: error: {path}: {expected}")
    assert not out.exists()  # refused before the output is created


def test_truncated_gzip_keeps_the_pairs_before_the_damage(tmp_path: Path) -> None:
    noise = random.Random(0)  # incompressible, so that the damage is past the first block
    lines = [
        {"a": f"{FLOOD} Gauges: " + " ".join(str(noise.random()) for _ in range(150)), "b": FLOOD_2}
        for _ in range(20)
    ]
    data = gzip.compress("".join(json.dumps(x) + "\n" for x in lines).encode(), mtime=0)
    path = tmp_path / "pairs.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    out = tmp_path / "out.jsonl"
    result = invoke("compare", "--pairs", str(path), "-o", str(out))
    assert result.exit_code == 2
    found = re.search(r"corrupt or truncated gzip data after line (\d+) ", result.stderr)
    assert found is not None, result.stderr
    kept = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(kept) == int(found[1]) < 20
    assert all("error" not in json.loads(line) for line in kept)


def test_html_without_output_fails_before_reading(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    result = run("compare", missing, missing + "2", "--format", "html")
    assert result.returncode == 2
    assert result.stderr == "samestory: error: --format html writes a file: add -o report.html\n"


@pytest.mark.parametrize("format", ["terminal", "json"])
def test_closed_pipe_exits_quietly(pair, format: str) -> None:
    process = subprocess.Popen(
        [*SAMESTORY, "compare", *pair, "--format", format],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the report is written (`| head`)
    stderr = process.stderr.read()
    assert process.wait(timeout=300) == 0
    assert stderr == b""


def test_gzipped_pairs_on_stdin() -> None:
    from typer.testing import CliRunner

    from samestory.cli import app

    data = gzip.compress((json.dumps({"a": FLOOD, "b": FLOOD_2}) + "\n").encode("utf-16"))
    result = CliRunner().invoke(app, ["compare", "--pairs", "-"], input=data)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["same_event"] is True
