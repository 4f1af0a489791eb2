"""Clustering metrics on known answers, and a small real-data run (skipped without the data)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from typer.testing import CliRunner

from samestory.cli import app
from samestory.eval.clustering import bcubed, clustering_accuracy, evaluate, load_dataset


def test_accuracy_is_invariant_to_cluster_names():
    truth = np.array([0, 0, 1, 1, 2, 2])
    assert clustering_accuracy(truth, np.array([5, 5, 9, 9, 7, 7])) == 1.0
    assert clustering_accuracy(truth, np.array([1, 1, 1, 1, 2, 2])) == pytest.approx(4 / 6)


def test_bcubed_known_values():
    truth = np.array(["a", "a", "b", "b"])
    precision, recall, f1 = bcubed(truth, np.array([1, 1, 1, 1]))
    assert precision == pytest.approx(0.5) and recall == 1.0
    assert f1 == pytest.approx(2 / 3)
    assert bcubed(truth, np.array([1, 2, 3, 4])) == pytest.approx((1.0, 0.5, 2 / 3))


def test_wikiref_labels_are_file_names_without_their_number(data_dir):
    dataset = load_dataset(data_dir / "clustering" / "wikiref" / "WikiRef150")
    labels, articles = dataset.labels, dataset.articles
    assert len(articles) == 150 and dataset.skipped == []
    assert {"barack.obama", "samsung.galaxy.s5", "premier.league"} <= set(labels)
    assert len(set(labels)) == 15


def _subset(data_dir, tmp_path, classes: int = 6, per_class: int = 25):
    lines = (
        (data_dir / "clustering" / "googlenews-ts" / "GoogleNews-TS.tsv").read_text().splitlines()
    )
    by_label: dict[str, list[str]] = {}
    for line in lines:
        by_label.setdefault(line.split("\t", 1)[0], []).append(line)
    chosen = [label for label, rows in by_label.items() if len(rows) >= per_class][:classes]
    rows = [row for label in chosen for row in by_label[label][:per_class]]
    random.Random(1).shuffle(rows)
    path = tmp_path / "subset.tsv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_googlenews_subset_batch_and_incremental(data_dir, tmp_path):
    path = _subset(data_dir, tmp_path)
    batch = evaluate(path, cache_dir=tmp_path / "cache")
    assert batch.items == 150
    assert batch.acc >= 0.8 and batch.nmi >= 0.8  # recorded floor; full figures in BENCHMARKS.md
    # three chunks of 50: each is ≥ 10 % of the corpus so far, so each regroups everything
    # and the last grouping is the batch one (story ids reconciled by overlap on the way)
    incremental = evaluate(path, incremental=True, chunks=3, cache_dir=tmp_path / "cache")
    assert (incremental.acc, incremental.nmi, incremental.ari, incremental.clusters) == (
        batch.acc, batch.nmi, batch.ari, batch.clusters,
    )  # fmt: skip
    # 30 chunks of 5: mostly linked to the stories so far, regrouped every ~10 %
    trickle = evaluate(path, incremental=True, chunks=30, cache_dir=tmp_path / "cache")
    assert trickle.acc >= batch.acc - 0.05


def test_eval_clustering_command_prints_the_documented_json(data_dir, tmp_path):
    path = _subset(data_dir, tmp_path, classes=3, per_class=10)
    result = CliRunner().invoke(app, ["eval", "clustering", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert {"items", "clusters", "acc", "nmi", "ari", "bcubed_f1", "seconds"} <= set(data)
    assert data["items"] == 30


def test_eval_clustering_takes_a_probe_length_and_refuses_a_tiny_one(data_dir, tmp_path):
    path = _subset(data_dir, tmp_path, classes=3, per_class=10)
    result = CliRunner().invoke(
        app, ["eval", "clustering", str(path), "--json", "--probe-chars", "60"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["items"] == 30
    refused = CliRunner().invoke(app, ["eval", "clustering", str(path), "--probe-chars", "10"])
    assert refused.exit_code == 2 and "probe-chars" in refused.output
