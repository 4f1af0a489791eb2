"""``samestory eval conflicts`` on a small file: recall per kind, controls, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from samestory.cli import app
from samestory.compare.comparison import Conflict
from samestory.errors import InputError
from samestory.eval.conflicts import ConflictItem, evaluate_conflicts, is_hit, load_items

BASE = ("The fire broke out on Monday in a warehouse in Leeds. Firefighters said 14 people were "
        "rescued from the building. The cause of the fire is not yet known.")  # fmt: skip
ITEMS = [
    {"id": "n", "lang": "en", "kind": "number", "a": BASE,
     "b": BASE.replace("14 people", "18 people"), "a_value": "14", "b_value": "18"},
    {"id": "p", "lang": "en", "kind": "place", "a": BASE,
     "b": BASE.replace("Leeds", "Bradford"), "a_value": "Leeds", "b_value": "Bradford"},
    {"id": "c", "lang": "en", "kind": "none", "a": BASE,
     "b": BASE.replace("Firefighters said", "According to firefighters,"), "a_value": "", "b_value": ""},
]  # fmt: skip


@pytest.fixture(scope="module")
def items_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conflicts") / "items.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in ITEMS), encoding="utf-8")
    return path


def test_report(items_file: Path) -> None:
    report = evaluate_conflicts(items_file)
    assert report["recall"] == {"number": 1.0, "place": 1.0}
    assert report["controls_with_conflict"] == 0.0
    assert report["extra_conflicts_per_item"] == 0.0
    assert report["ms_per_pair"]["alignment_and_conflicts"] >= 0
    assert report["by_language"]["en"]["number"] == 1.0


def test_cli_json(items_file: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "conflicts", str(items_file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["items"] == 3


def test_cli_table(items_file: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "conflicts", str(items_file)])
    assert result.exit_code == 0, result.output
    assert "number" in result.stdout and "controls with a conflict: 0.0%" in result.stdout


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_items(tmp_path / "nothing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "kind": "colour", "a": "t", "b": "t"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not one of"):
        load_items(bad)
    result = CliRunner().invoke(app, ["eval", "conflicts", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output


def test_hit_needs_both_values() -> None:
    item = ConflictItem(id="x", lang="en", kind="number", a="", b="", a_value="14", b_value="18")
    assert is_hit(
        Conflict(kind="number", a="14 people", b="18 people", a_sentence=1, b_sentence=1), item
    )
    assert not is_hit(
        Conflict(kind="number", a="140 people", b="18 people", a_sentence=1, b_sentence=1), item
    )
    assert not is_hit(
        Conflict(kind="number", a="14 people", b="12", a_sentence=1, b_sentence=1), item
    )
