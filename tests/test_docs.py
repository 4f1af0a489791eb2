"""The documentation: the site builds in strict mode, and the quick start works as written.

Strict mode turns broken links, missing pages and anchors and unresolved API references into
errors. The quick start's command blocks run verbatim in a copy of the repository, offline:
its fresh ``.venv`` is prepared beforehand with a ``.pth`` line to the dev venv's packages
(``python3 -m venv .venv`` keeps it) and pip runs without an index. The second block,
``bash scripts/test.sh``, runs for real with pytest narrowed to the CLI help test through
PYTEST_ADDOPTS (the whole suite would run this test again).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from _offline import make_venv, offline_env

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = REPO / "docs" / "quickstart.md"
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", ".cache", "__pycache__", ".*_cache", ".hypothesis", "site", "*.db", "*.db-*",
    "build", "dist", "*.egg-info",
)  # fmt: skip


def bash_blocks(markdown: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"```bash\n(.*?)```", markdown, re.S)]


def test_site_builds_in_strict_mode(tmp_path: Path):
    pytest.importorskip(
        "mkdocs", reason="the docs extra is not installed: pip install -e '.[docs]'"
    )
    pytest.importorskip("mkdocstrings", reason="the docs extra is not installed")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO, capture_output=True, text=True, timeout=300, env=offline_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "StoryClusterer" in api and "same_event_threshold" in api  # docstrings rendered
    benchmarks = (site / "benchmarks" / "index.html").read_text(encoding="utf-8")
    assert "Pair models" in benchmarks  # BENCHMARKS.md included, not linked
    for image in ("html-report", "web-stories", "web-story", "web-compare-result"):
        assert (site / "images" / f"{image}.png").stat().st_size > 10_000


def test_quickstart_is_the_readme_quick_start():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = bash_blocks(QUICKSTART.read_text(encoding="utf-8"))
    assert len(blocks) == 2
    assert blocks == bash_blocks(section)


def test_quickstart_blocks_run_as_written(tmp_path: Path):
    pytest.importorskip("hatchling", reason="hatchling is not installed (extra: test)")
    pytest.importorskip("editables", reason="editables is not installed (extra: test)")
    python3 = shutil.which("python3")
    version = subprocess.run(
        [python3 or "python3", "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if version != str(sys.version_info[:2]):
        pytest.skip(f"python3 on PATH is {version or 'missing'}, not this interpreter's version")
    repo = tmp_path / "samestory"
    shutil.copytree(REPO, repo, ignore=COPY_IGNORE)
    make_venv(repo / ".venv")
    install_and_compare, test_suite = bash_blocks(QUICKSTART.read_text(encoding="utf-8"))

    first = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", install_and_compare],
        cwd=repo, capture_output=True, text=True, timeout=600, env=offline_env(),
    )  # fmt: skip
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "SAME EVENT" in first.stdout
    assert "Las Cruses" in first.stdout and "Las Cruces" in first.stdout
    where = subprocess.run(
        [str(repo / ".venv" / "bin" / "python"), "-c", "import samestory; print(samestory.__file__)"],
        capture_output=True, text=True, env=offline_env(),
    ).stdout  # fmt: skip
    assert where.startswith(str(repo / "src")), where  # the copy's own editable install ran

    second = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", test_suite],
        cwd=repo, capture_output=True, text=True, timeout=600,
        env=offline_env(PYTEST_ADDOPTS="-q -p no:cacheprovider tests/test_cli_help.py"),
    )  # fmt: skip
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert re.search(r"\d+ passed", second.stdout), second.stdout[-2000:]
