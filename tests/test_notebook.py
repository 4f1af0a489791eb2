"""Notebooks: a Comparison and a story render as rich HTML and as DataFrames; the example
notebook runs from start to end (nbclient, the dev venv's own kernel, offline)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from samestory.cluster.story import Fact, Member, StoryDetail
from samestory.compare.comparison import DIMENSIONS
from samestory.errors import MissingDependencyError
from test_render_example import example_comparison

pd = pytest.importorskip("pandas", reason="pandas is not installed (extra: notebook)")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "examples" / "samestory-tour.ipynb"
HOSTILE = "<script>alert(1)</script>"


def story() -> StoryDetail:
    first = Member(
        id="a1",
        title="Officer killed near Akela",
        lang="en",
        published="2023-02-02",
        source="lcsun",
        url=None,
        near_duplicate_group="a1",
    )
    copy = Member(
        id="a2",
        title="Officer killed near Akela (wire)",
        lang="en",
        published="2023-02-02",
        source="wire",
        url=None,
        near_duplicate_group="a1",
    )
    update = Member(
        id="a3",
        title=f"Update {HOSTILE}",
        lang="es",
        published="2023-02-03",
        source="diario",
        url="https://diario.example/x",
        near_duplicate_group=None,
    )
    return StoryDetail(
        id="s1", headline="Officer killed near Akela", members=(first, copy, update),
        languages=("en", "es"), sources=("diario", "lcsun", "wire"),
        first_seen="2023-02-02", last_seen="2023-02-03",
        near_duplicate_groups=(("a1", "a2"),), merged_ids=(),
        timeline=(
            Fact(kind="place", text="Las Cruses", first_reported_by="a1",
                 contradicted_by=(("a3", "Las Cruces"),)),
            Fact(kind="name", text="Darian Jarrott", first_reported_by="a3"),
        ),
        compared=1,
    )  # fmt: skip


def test_comparison_repr_html_is_the_report_fragment():
    html = example_comparison()._repr_html_()
    assert html.lstrip().startswith("<style>") and "<html" not in html
    assert 'class="ssr"' in html and "Las Cruses" in html
    assert html.count('<tr class="ssr-lvl') == len(DIMENSIONS)


def test_comparison_frames():
    comparison = example_comparison()
    pairs = comparison.to_frame()
    assert len(pairs) == len(comparison.alignment)
    assert list(pairs.columns[:5]) == ["a", "b", "similarity", "sentence_a", "sentence_b"]
    first = comparison.alignment[0]
    assert pairs.iloc[0]["sentence_b"] == comparison.sentences_b[first.b]
    scores = comparison.to_frame("scores")
    assert list(scores.index) == list(DIMENSIONS)
    assert scores.loc["overall", "score"] == pytest.approx(comparison.scores.overall)
    conflicts = comparison.to_frame("conflicts")
    assert conflicts.iloc[0]["a"] == "Las Cruses" and conflicts.iloc[0]["b"] == "Las Cruces"
    with pytest.raises(ValueError, match="alignment, scores, conflicts"):
        comparison.to_frame("sentences")


def test_story_repr_html_escapes_and_marks_contradictions():
    html = story()._repr_html_()
    assert HOSTILE not in html and "&lt;script&gt;" in html
    assert 'class="ssr ssr-story"' in html
    assert '<mark class="ssr-m-conflict" dir="auto">Las Cruses</mark>' in html
    assert '<mark class="ssr-m-conflict" dir="auto">Las Cruces</mark>' in html
    assert html.count("near-copy</span>") == 1  # a2 only: a1 heads its own group


def test_story_frames():
    members = story().to_frame()
    assert list(members.index) == ["a1", "a2", "a3"]
    assert members.loc["a3", "lang"] == "es"
    timeline = story().to_frame("timeline")
    assert timeline.iloc[0]["contradicted_by"] == [{"article": "a3", "says": "Las Cruces"}]
    with pytest.raises(ValueError, match="members, timeline"):
        story().to_frame("facts")


def test_to_frame_without_pandas_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'samestory\[notebook\]'"):
        example_comparison().to_frame()


def test_example_notebook_runs_from_start_to_end(tmp_path: Path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (extra: test)")
    # a kernel spec of our own for the running interpreter, found first through JUPYTER_PATH,
    # so a "python3" kernel registered elsewhere on the machine cannot stand in for it
    spec = tmp_path / "kernels" / "samestory-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "samestory test",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="samestory-test",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="ssr"' in h and "Las Cruses" in h for h in html)  # the comparison
    assert any("ssr-story" in h for h in html)  # the story
    assert any("<table" in h and "sentence_a" in h for h in html)  # a DataFrame
