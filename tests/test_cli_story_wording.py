"""``samestory stories`` / ``story``: ``-f`` as elsewhere, ambiguous prefixes named, every
source counted; counts in the reports read "1 pair", "2 pairs", never "pair(s)"."""

from __future__ import annotations

import json
from dataclasses import replace

from rich.console import Console
from typer.testing import CliRunner

from samestory import Article
from samestory.cli import app
from samestory.store import open_store


def _store(path, stories: dict[str, int]) -> None:
    """One article per source for each story: ``{"s1a": 3}`` gives s1a three sources."""
    with open_store(path) as store:
        assignments: dict[str, str] = {}
        articles = []
        for story, size in stories.items():
            for n in range(size):
                article = Article(
                    text=f"Report {n} of {story} on the flood in Dresden.", title=f"{story} {n}",
                    lang="en", url=f"https://www.site{n:02d}.example/{story}",
                )  # fmt: skip
                articles.append(article)
                assignments[article.id] = story
        store.add_articles(articles)
        store.write_clustering(
            new_stories={s: f"Story {s}" for s in stories}, assignments=assignments, merges=[],
            headlines={}, near_duplicates={},
        )  # fmt: skip


def test_stories_and_story_take_f_for_format(tmp_path) -> None:
    db = tmp_path / "s.db"
    _store(db, {"s1a": 1, "s2b": 2})
    runner = CliRunner()
    listed = runner.invoke(app, ["stories", "--db", str(db), "-f", "json"])
    assert listed.exit_code == 0, listed.output
    assert [row["id"] for row in json.loads(listed.stdout)] == ["s2b", "s1a"]
    shown = runner.invoke(app, ["story", "s2", "--db", str(db), "-f", "json", "--compared", "0"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["id"] == "s2b"


def test_an_ambiguous_prefix_lists_what_it_matches(tmp_path) -> None:
    db = tmp_path / "s.db"
    _store(db, {f"s1{c}": 1 for c in "abcdefg"})
    runner = CliRunner()
    for prefix in ("s1", "s"):
        result = runner.invoke(app, ["story", prefix, "--db", str(db), "--compared", "0"])
        assert result.exit_code != 0
        assert "starts several story ids (s1a, s1b, s1c, s1d, s1e and 2 more)" in result.output


def test_the_story_header_says_how_many_sources_it_leaves_out(tmp_path) -> None:
    db = tmp_path / "s.db"
    _store(db, {"s1a": 19, "s2b": 3})
    runner = CliRunner()
    many = runner.invoke(app, ["story", "s1a", "--db", str(db), "--compared", "0"])
    assert many.exit_code == 0, many.output
    header = " ".join(many.stdout.split())
    assert "site14.example and 4 more" in header and "site15.example" not in header
    few = runner.invoke(app, ["story", "s2b", "--db", str(db), "--compared", "0"])
    assert "site02.example" in few.stdout and "more" not in few.stdout.split("members")[0]


def test_the_cluster_summary_counts_in_words(monkeypatch) -> None:
    from samestory.cli import cluster as cluster_cli
    from samestory.cluster.pipeline import ClusterReport

    console = Console(record=True, width=400, no_color=True)
    monkeypatch.setattr("rich.console.Console", lambda **_: console)
    one = ClusterReport(read=3, copies_sharing_vectors=1, threshold=0.25, new_stories=1)
    cluster_cli._print_report(one, cluster_cli.DEFAULT_DB)
    text = console.export_text()
    assert "(1 near-copy took its original's vector)" in text and "(threshold 0.25)" in text
    assert "1 new story," in text
    cluster_cli._print_report(ClusterReport(copies_sharing_vectors=2), cluster_cli.DEFAULT_DB)
    assert "(2 near-copies took their original's vector)" in console.export_text()


def test_html_reports_count_in_words() -> None:
    from samestory.compare.diff import diff_versions
    from samestory.render._words import plural
    from samestory.render.diff_html import render_diff_html
    from samestory.render.html import render_comparison_html
    from test_render_example import example_comparison

    assert (plural(1, "pair"), plural(2, "pair"), plural(0, "story", "stories")) == (
        "1 pair", "2 pairs", "0 stories",
    )  # fmt: skip
    old = "A storm hit Dresden on Tuesday. 300 people left their homes. Schools closed."
    new = "A storm hit Dresden on Tuesday. 450 people left their homes. Schools closed."
    page = render_diff_html(diff_versions(old, new))
    assert "1 fact changed · 1 sentence changed" in page and "(s)" not in page
    comparison = example_comparison()
    for alignment in (comparison.alignment[:1], comparison.alignment[:2]):
        page = render_comparison_html(replace(comparison, alignment=alignment))
        count = "1 pair" if len(alignment) == 1 else "2 pairs"
        assert f"corresponding sentences ({count})" in page and "(s)" not in page


def test_the_report_templates_need_no_filter_of_ours() -> None:
    """The web app includes ``_comparison.html.j2`` from its own Jinja environment: a filter
    only ``render.html`` registers would break its compare page."""
    from importlib import resources

    from jinja2 import Environment

    bare = Environment(autoescape=True)
    folder = resources.files("samestory.render").joinpath("templates")
    for template in folder.iterdir():
        if template.name.endswith(".j2"):
            bare.compile(template.read_text(encoding="utf-8"), template.name)


def test_a_piped_story_list_keeps_one_row_per_line(tmp_path, monkeypatch) -> None:
    """Piped or redirected, the table is drawn 160 columns wide: `| grep` finds whole rows."""
    db = tmp_path / "s.db"
    _store(db, {"s1a": 1})
    headline = "Flood waters reach the old town of Dresden as the Elbe rises past its 2013 record"
    with open_store(db) as store:
        store.write_clustering(
            new_stories={}, assignments={}, merges=[], headlines={"s1a": headline},
            near_duplicates={},
        )  # fmt: skip
    monkeypatch.delenv("COLUMNS", raising=False)
    listed = CliRunner().invoke(app, ["stories", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert any(headline in line and "s1a" in line for line in listed.stdout.splitlines())
