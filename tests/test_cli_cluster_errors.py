"""``samestory cluster`` / ``add``: nothing readable is exit 2, and ``add`` never creates a store."""

from __future__ import annotations

import subprocess
import sys


def _samestory(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "samestory", *args], capture_output=True, text=True, timeout=300
    )


def test_cluster_with_nothing_readable_exits_2(tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("   \n", encoding="utf-8")
    result = _samestory("cluster", str(empty), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 2
    assert "nothing could be read" in result.stderr
    assert "blank.txt" in result.stderr  # the skipped file is named


def test_add_to_a_missing_store_exits_2_without_creating_it(tmp_path) -> None:
    db = tmp_path / "missing.db"
    (tmp_path / "a.txt").write_text("A flood hit the town on Monday.", encoding="utf-8")
    result = _samestory("add", str(tmp_path / "a.txt"), "--db", str(db))
    assert result.returncode == 2
    assert "no store at" in result.stderr and "samestory cluster" in result.stderr
    assert not db.exists()
