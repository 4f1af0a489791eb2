"""The Spark engine (issue #8) on a real local SparkSession, against the local engine.

One session is shared by the whole test run (starting one costs ~10 s); the engines run
once each on a slice of GoogleNews-TS (plus a repeated record and a few edited near-copies)
and the tests read their results. Skipped only when no Java runtime is installed.
"""

from __future__ import annotations

import builtins
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from samestory.cluster.core import ClusterOptions
from samestory.errors import MissingDependencyError

ITEMS = 300
TEXT_FILES = 12
JAVA = shutil.which("java") is not None


def _java_or_skip() -> None:
    if not JAVA:
        pytest.skip("no Java runtime: Spark needs one (apt-get install default-jre-headless)")


@pytest.fixture(scope="session")
def spark() -> Any:
    _java_or_skip()
    from samestory.cluster.spark import SparkOptions, spark_session

    session = spark_session(SparkOptions(master="local[2]"))
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSONL slice of GoogleNews-TS (dated over three weeks, one record twice, near-copies
    of five records with a byline added) and a folder of text files, one of them empty."""
    lines = (data_dir / "clustering" / "googlenews-ts" / "GoogleNews-TS.tsv").read_text()
    rows = [line.split("\t", 1) for line in lines.splitlines() if "\t" in line]
    rng = random.Random(0)
    rng.shuffle(rows)
    records = [
        {
            "text": text,
            "url": f"https://news{i % 40}.example/{i}",
            "published": f"2024-05-{1 + rng.randrange(21):02d}",
        }
        for i, (_, text) in enumerate(rows[:ITEMS])
    ]
    for i in range(5):
        copy = dict(records[i], url=f"https://copy.example/{i}")
        copy["text"] += " (Reuters)"
        records.append(copy)
    records.append(records[7])  # the same article twice: kept once
    # brackets in the folder names: Spark reads paths as glob patterns unless escaped
    folder = tmp_path_factory.mktemp("spark-corpus") / "in[put]"
    folder.mkdir()
    (folder / "slice.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    # plain-text files, read whole by samestory.read in the workers; an empty one is skipped
    texts = folder / "texts"
    texts.mkdir()
    for i, (_, text) in enumerate(rows[ITEMS : ITEMS + TEXT_FILES]):
        (texts / f"{i:02d}.txt").write_text(f"Report number {i}\n\n{text}\n", encoding="utf-8")
    (texts / "empty.txt").write_text("", encoding="utf-8")
    return folder


def _inputs(corpus: Path) -> list[str]:
    return [str(corpus / "slice.jsonl"), str(corpus / "texts")]


@pytest.fixture(scope="module")
def spark_run(spark: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from samestory.cluster.spark import cluster_with_spark

    out = tmp_path_factory.mktemp("spark-out") / "run[1]"
    out.mkdir()
    report = cluster_with_spark(
        _inputs(corpus), out / "tables", ClusterOptions(), spark=spark, db=out / "spark.db"
    )
    return report, out


@pytest.fixture(scope="module")
def local_stories(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from samestory.cluster.pipeline import cluster_articles
    from samestory.read import read_many
    from samestory.store import open_store

    db = tmp_path_factory.mktemp("local") / "local.db"
    with open_store(db) as store:
        cluster_articles(store, read_many(_inputs(corpus)), ClusterOptions())
        return store.memberships()


def test_spark_engine_gives_the_local_engine_stories(spark_run: Any, local_stories: Any) -> None:
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    report, out = spark_run
    table = pd.read_parquet(out / "tables" / "articles")
    spark_stories = dict(zip(table["id"], table["story_id"], strict=True))
    assert set(spark_stories) == set(local_stories)
    ids = sorted(local_stories)
    ari = adjusted_rand_score([local_stories[i] for i in ids], [spark_stories[i] for i in ids])
    assert ari >= 0.99, f"ARI {ari:.4f} between the Spark and local engines"
    # stories are named after their first article in both engines
    same_names = sum(local_stories[i] == spark_stories[i] for i in ids) / len(ids)
    assert same_names >= 0.95
    assert report.threshold is not None
    assert report.pairs_per_article <= ClusterOptions().k
    # the five copies with a byline take their original's vector instead of being embedded
    assert report.copies_sharing_vectors >= 5
    assert report.texts + report.copies_sharing_vectors == report.articles


def test_local_cell_search_gives_the_spark_engine_stories(
    spark: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``neighbour_search="cells"`` the local engine searches the Spark engine's cells
    (fitted on the same first articles): the same candidate pairs, so the same stories. Cells
    of 40 articles, 2 probed, so that the ~320 articles are searched in cells, not exactly."""
    import pandas as pd

    from samestory.cluster import candidates
    from samestory.cluster.pipeline import cluster_articles
    from samestory.cluster.spark import SparkOptions, cluster_with_spark
    from samestory.read import read_many
    from samestory.store import open_store

    monkeypatch.setattr(candidates, "CELL_SIZE", 40)
    monkeypatch.setattr(candidates, "PROBES", 2)
    options = ClusterOptions(neighbour_search="cells")
    report = cluster_with_spark(
        _inputs(corpus), tmp_path / "tables", options, spark=spark,
        spark_options=SparkOptions(cell_size=40, probes=2),
    )  # fmt: skip
    assert report.cells > 2
    with open_store(tmp_path / "local.db") as store:
        local = cluster_articles(store, read_many(_inputs(corpus)), options)
        local_stories = store.memberships()
    table = pd.read_parquet(tmp_path / "tables" / "articles")
    assert dict(zip(table["id"], table["story_id"], strict=True)) == local_stories
    assert report.stories == local.stories and report.threshold == local.threshold


def test_parquet_tables(spark_run: Any) -> None:
    import pandas as pd

    report, out = spark_run
    articles = pd.read_parquet(out / "tables" / "articles")
    stories = pd.read_parquet(out / "tables" / "stories")
    copies = pd.read_parquet(out / "tables" / "near_duplicates")
    # the repeated record is kept once; the empty file is reported as skipped
    assert len(articles) == ITEMS + 5 + TEXT_FILES == report.articles
    assert report.read == ITEMS + 6 + TEXT_FILES
    assert any("empty.txt" in item for item in report.skipped)
    titled = articles[articles["title"].str.startswith("Report number")]
    assert len(titled) == TEXT_FILES and titled["seq"].min() > articles["seq"].iloc[ITEMS]
    assert articles["id"].is_unique and articles["seq"].is_monotonic_increasing
    assert {"id", "title", "text", "published", "url", "story_id", "group_id"} <= set(articles)
    assert stories["size"].sum() == len(articles) and len(stories) == report.stories
    first = articles.groupby("story_id")["id"].first()
    assert all(sid == "s" + first[sid][:12] for sid in stories["story_id"])
    assert stories["headline"].str.len().gt(0).all()
    # each edited copy is grouped with its original, and sits in its story
    assert report.near_duplicate_groups >= 5
    by_id = articles.set_index("id")
    for _, group in copies.groupby("group_id"):
        assert by_id.loc[group["article_id"], "story_id"].nunique() == 1
    assert set(copies["group_id"]) <= set(articles["id"])


def test_store_output_opens_in_samestory(spark_run: Any) -> None:
    import pandas as pd

    from samestory.cluster.story import story_detail
    from samestory.store import open_store

    report, out = spark_run
    articles = pd.read_parquet(out / "tables" / "articles")
    with open_store(out / "spark.db") as store:
        assert store.article_count() == report.articles
        assert store.story_count() == report.stories
        assert store.memberships() == dict(zip(articles["id"], articles["story_id"], strict=True))
        assert len(store.near_duplicate_groups()) >= 10
        biggest = store.story_rows()[0]
        detail = story_detail(store, biggest.id, max_compared=2)
        assert len(detail.to_dict()["members"]) == biggest.size
        # what `samestory add` needs to continue: cached vectors, threshold, lexical model
        assert store.missing_hashes("vectors", "probe:512") == []
        assert store.setting("threshold") is not None
        assert store.setting("probe_chars") == b"512"  # so `add` embeds alike


def test_connected_components_in_spark_rounds(spark: Any) -> None:
    from samestory.cluster.spark.graph import connected_components

    edges = spark.createDataFrame(
        [(1, 2), (2, 3), (3, 4), (4, 5), (10, 11), (12, 11), (20, 20), (7, 5)], "a long, b long"
    )
    distributed = connected_components(edges, driver_edges=0).collect()
    on_driver = connected_components(edges).collect()
    expected = {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 7: 1, 10: 10, 11: 10, 12: 10}
    assert {r["node"]: r["component"] for r in distributed} == expected
    assert {r["node"]: r["component"] for r in on_driver} == {**expected, 20: 20}


def test_missing_pyspark_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from samestory.cluster.spark import require_pyspark

    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(MissingDependencyError, match=r"pip install 'samestory\[spark\]'"):
        require_pyspark()
    with pytest.raises(ImportError):  # also an ImportError, for callers that expect one
        require_pyspark()


def test_missing_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark")
    from samestory.cluster.spark import MissingJavaError, require_pyspark

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(MissingJavaError, match="default-jre-headless"):
        require_pyspark()


def test_cli_refuses_an_unknown_engine(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from samestory.cli import app

    result = CliRunner().invoke(app, ["cluster", str(tmp_path), "--engine", "dask"])
    assert result.exit_code == 2
    assert "use local or spark" in result.output
