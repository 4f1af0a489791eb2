"""``samestory compare`` as a user runs it: real subprocesses, exit codes, outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
