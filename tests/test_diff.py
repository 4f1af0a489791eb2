"""``samestory diff``: two versions of one article, through the library and the CLI."""

from __future__ import annotations

import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from samestory.cli import app
from samestory.compare.diff import VersionDiff, diff_versions, word_diff
from samestory.render.diff_html import render_diff_html
from samestory.render.diff_terminal import print_diff

OLD = """Storm floods the old town

A storm flooded the old town of Dresden on Tuesday, forcing 300 residents to leave their homes.

Firefighters pumped water out of cellars through the night. The mayor said the damage would cost millions.

Schools will stay closed until the end of the week."""

NEW = """Storm floods the old town

A storm flooded the old town of Dresden on Tuesday, forcing 450 residents to leave their homes.

Firefighters pumped water out of basements through the night. The mayor said the damage would cost millions.

The river is expected to peak on Thursday morning, the weather service warned. <script>alert(1)</script>"""


@pytest.fixture(scope="module")
def diff() -> VersionDiff:
    return diff_versions(OLD, NEW)


def _index(sentences: tuple[str, ...], needle: str) -> int:
    return next(i for i, s in enumerate(sentences) if needle in s)


def test_changed_sentences_have_word_diffs(diff: VersionDiff) -> None:
    cellar = _index(diff.sentences_old, "cellars")
    change = next(c for c in diff.changed if c.old == cellar)
    assert change.new == _index(diff.sentences_new, "basements")
    assert ("delete", "cellars") in [(w.op, w.text) for w in change.words]
    assert ("insert", "basements") in [(w.op, w.text) for w in change.words]


def test_added_removed_and_unchanged(diff: VersionDiff) -> None:
    assert diff.removed == (_index(diff.sentences_old, "Schools"),)
    assert diff.added == (_index(diff.sentences_new, "river"),)
    mayor = (_index(diff.sentences_old, "mayor"), _index(diff.sentences_new, "mayor"))
    assert mayor in diff.unchanged


def test_the_changed_number_is_a_fact(diff: VersionDiff) -> None:
    assert [(f.kind, f.a, f.b) for f in diff.facts] == [("number", "300", "450")]
    fact = diff.facts[0]
    assert "300" in diff.sentences_old[fact.a_sentence]
    assert "450" in diff.sentences_new[fact.b_sentence]


def test_word_diff_rebuilds_both_sentences() -> None:
    old, new = "The storm hit Dresden on Tuesday.", "The big storm hit Leipzig on Tuesday!"
    edits = word_diff(old, new)
    assert "".join(e.text for e in edits if e.op != "insert") == old
    assert "".join(e.text for e in edits if e.op != "delete") == new


def test_json_html_and_terminal(diff: VersionDiff) -> None:
    data = json.loads(json.dumps(diff.to_dict()))
    assert {"old", "new", "sentences", "unchanged", "changed", "added", "removed", "facts"} <= set(
        data
    )
    assert data["facts"][0]["old"] == "300" and data["facts"][0]["new"] == "450"
    page = render_diff_html(diff)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "Content-Security-Policy" in page
    # side by side: the changed sentence in one colour on both sides, the changed fact marked
    assert '<mark class="ssr-m-conflict">300</mark>' in page
    assert '<mark class="ssr-m-conflict">450</mark>' in page
    assert "ssr-g0" in page and "ssr-only" in page
    console = Console(record=True, width=100, no_color=True)
    print_diff(diff, console=console)
    text = console.export_text()
    assert "[-cellars-]{+basements+}" in text and "300" in text and "450" in text


def test_cli_diff(tmp_path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["facts"][0]["kind"] == "number"
    page = tmp_path / "diff.html"
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "html", "-o", str(page)])
    assert result.exit_code == 0 and "ssr-diff-del" in page.read_text(encoding="utf-8")
    result = runner.invoke(app, ["diff", str(old), str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "missing.txt" in result.output
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "html"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["diff", str(old), str(new), "-f", "json", "-o", str(new)])
    assert result.exit_code == 2 and "is one of the inputs" in result.output
    assert new.read_text(encoding="utf-8") == NEW  # the new version was not overwritten


def test_versions_in_two_languages_get_a_warning(tmp_path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(
        "Ein Feuer brach am Montag in der Stadt aus. Zwei Menschen wurden verletzt, sagte die "
        "Polizei. Die Feuerwehr war mit vielen Fahrzeugen vor Ort.",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["diff", str(old), str(new), "-f", "json"])
    assert result.exit_code == 0 and "different languages (en, de)" in result.stderr


def test_two_texts_without_a_shared_sentence_get_a_warning(tmp_path) -> None:
    old, new, other = tmp_path / "old.txt", tmp_path / "new.txt", tmp_path / "other.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    other.write_text(
        "Storm closes schools\n\nA storm closed every school in the county on Tuesday. "
        "Buses stayed in their depots as roads flooded. Parents were told to keep children at "
        "home until Thursday.",
        encoding="utf-8",
    )
    runner = CliRunner()
    unrelated = runner.invoke(app, ["diff", str(old), str(other), "-f", "json"])
    assert unrelated.exit_code == 0 and "share no sentence word for word" in unrelated.stderr
    versions = runner.invoke(app, ["diff", str(old), str(new), "-f", "json"])
    assert "share no sentence" not in versions.stderr
