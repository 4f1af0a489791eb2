"""Clustering benchmarks: GoogleNews-T/S/TS and WikiRef, scored as in the literature.

Formats: GoogleNews files are ``label<TAB>text`` lines; a WikiRef data set is a folder of
``event.name.N.txt`` files (the event is the file name without its number). Scores: ACC
(best one-to-one matching of clusters to classes, Hungarian), NMI, ARI and B-cubed
precision/recall/F1. Incremental runs feed the items in chunks to ``partial_fit``.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..article import Article
from ..cluster.core import ClusterOptions, embed_probes, probe_text
from ..cluster.estimator import StoryClusterer
from ..errors import InputError

__all__ = [
    "ClusteringScores",
    "Dataset",
    "bcubed",
    "clustering_accuracy",
    "evaluate",
    "load_dataset",
    "score",
]

_EVENT = re.compile(r"^(.*?)(?:\.\d+| ?\(\d+\))$")
_EXPECTED = "give a GoogleNews .tsv (label<TAB>text), a WikiRef folder, or a folder of them"
# Items are fed in a fixed shuffled order: the files are sorted by class, which would make
# incremental assignment trivially easy.
ORDER_SEED = 0


@dataclass(frozen=True, kw_only=True)
class ClusteringScores:
    dataset: str
    mode: str
    items: int
    classes: int
    clusters: int
    acc: float
    nmi: float
    ari: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    seconds: float
    skipped: tuple[str, ...] = ()  # the items that could not be read, one line each

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "mode": self.mode,
            "items": self.items,
            "classes": self.classes,
            "clusters": self.clusters,
            "acc": round(self.acc, 4),
            "nmi": round(self.nmi, 4),
            "ari": round(self.ari, 4),
            "bcubed_precision": round(self.bcubed_precision, 4),
            "bcubed_recall": round(self.bcubed_recall, 4),
            "bcubed_f1": round(self.bcubed_f1, 4),
            "seconds": round(self.seconds, 2),
            "skipped": len(self.skipped),
        }


def clustering_accuracy(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Share of items on the best one-to-one matching of clusters to classes (Hungarian)."""
    from scipy.optimize import linear_sum_assignment

    classes, truth_index = np.unique(truth, return_inverse=True)
    clusters, predicted_index = np.unique(predicted, return_inverse=True)
    counts = np.zeros((len(clusters), len(classes)), dtype=np.int64)
    np.add.at(counts, (predicted_index, truth_index), 1)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return float(counts[rows, cols].sum() / len(truth))


def bcubed(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin), averaged over items."""
    pair_counts = Counter(zip(truth.tolist(), predicted.tolist(), strict=True))
    class_sizes = Counter(truth.tolist())
    cluster_sizes = Counter(predicted.tolist())
    precision = recall = 0.0
    for (cls, cluster), together in pair_counts.items():
        precision += together * together / cluster_sizes[cluster]
        recall += together * together / class_sizes[cls]
    n = len(truth)
    if n == 0:
        return 0.0, 0.0, 0.0
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(
    truth: np.ndarray,
    predicted: np.ndarray,
    *,
    dataset: str,
    mode: str,
    seconds: float,
    skipped: Sequence[str] = (),
) -> ClusteringScores:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    precision, recall, f1 = bcubed(truth, predicted)
    return ClusteringScores(
        dataset=dataset, mode=mode, items=len(truth), classes=len(set(truth.tolist())),
        clusters=len(set(predicted.tolist())), acc=clustering_accuracy(truth, predicted),
        nmi=float(normalized_mutual_info_score(truth, predicted)),
        ari=float(adjusted_rand_score(truth, predicted)),
        bcubed_precision=precision, bcubed_recall=recall, bcubed_f1=f1, seconds=seconds,
        skipped=tuple(skipped),
    )  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    """A labelled data set: gold labels, articles, and the items that could not be read."""

    labels: list[str]
    articles: list[Article]
    skipped: list[str]  # "file:line: reason" per item left out


def load_dataset(path: Path) -> Dataset:
    """Gold labels and articles of one data set (a GoogleNews .tsv or a WikiRef folder).

    A line or file that is not an item (no tab, no label, no text, unreadable) is left out
    and named in ``skipped``; a data set with no items at all is an InputError.
    """
    from ..read import article_from_text
    from ..read.decode import read_text_file

    path = Path(path)
    labels: list[str] = []
    articles: list[Article] = []
    skipped: list[str] = []
    if path.is_file():
        text = read_text_file(path, "a GoogleNews .tsv file (label<TAB>text per line)")
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            label, tab, body = line.rstrip("\r").partition("\t")
            if not tab or not label.strip() or not body.strip():
                skipped.append(f"{path}:{number}: expected `label<TAB>text`")
                continue
            labels.append(label.strip())
            articles.append(Article(text=body.strip(), lang="en", source=f"{path.name}:{number}"))
    elif path.is_dir():
        files = sorted(path.glob("*.txt"))
        if not files:
            raise InputError(str(path), "no .txt files: expected a WikiRef folder (event.N.txt)")
        for file in files:
            try:
                article = article_from_text(
                    read_text_file(file, "a WikiRef article (plain text)"),
                    source=file.name,
                    lang="en",
                )
            except InputError as error:
                skipped.append(str(error))
                continue
            match = _EVENT.match(file.stem)
            labels.append(match.group(1) if match else file.stem)
            articles.append(article)
    else:
        raise InputError(str(path), f"no such file or folder; {_EXPECTED}")
    if not articles:
        raise InputError(str(path), f"no items could be read ({len(skipped)} skipped); {_EXPECTED}")
    return Dataset(labels, articles, skipped)


def datasets_under(path: Path) -> list[Path]:
    """The data sets a path names: itself, or the .tsv files / WikiRef folders inside it."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(str(path), f"no such file or folder; {_EXPECTED}")
    found = sorted(path.glob("*.tsv")) + sorted(
        p for p in path.iterdir() if p.is_dir() and any(p.glob("*.txt"))
    )
    if found:
        return found
    if any(path.glob("*.txt")):
        return [path]
    raise InputError(str(path), "no GoogleNews .tsv files or WikiRef folders found here")


def evaluate(
    path: Path,
    *,
    incremental: bool = False,
    chunks: int = 10,
    n_clusters: int | None = None,
    threshold: float | None = None,
    cache_dir: Path | None = None,
    probe_chars: int = 512,
) -> ClusteringScores:
    """Cluster one data set with :class:`StoryClusterer` and score it against its labels.

    ``cache_dir`` keeps the embeddings of the texts between runs (once cached, embedding is
    not counted in ``seconds``: the store does the same for ``samestory cluster``); entries
    are keyed by the embedded text, so runs with other ``probe_chars`` share the file.
    """
    dataset = load_dataset(path)
    labels, articles = dataset.labels, dataset.articles
    order = list(range(len(articles)))
    random.Random(ORDER_SEED).shuffle(order)
    articles = [articles[i] for i in order]
    truth = np.array([labels[i] for i in order])
    params: dict[str, Any] = {
        "n_clusters": n_clusters, "window_days": None, "probe_chars": probe_chars,
    }  # fmt: skip
    if threshold is not None:
        params["threshold"] = threshold
    clusterer = (
        CachedClusterer(cache_dir / f"{Path(path).name}.npz", **params)
        if cache_dir is not None
        else StoryClusterer(**params)
    )
    start = time.perf_counter()
    if incremental:
        size = -(-len(articles) // max(1, chunks))
        for begin in range(0, len(articles), size):
            clusterer.partial_fit(articles[begin : begin + size])
    else:
        clusterer.fit(articles)
    seconds = time.perf_counter() - start
    return score(
        truth, np.asarray(clusterer.labels_), dataset=Path(path).name,
        mode="incremental" if incremental else "batch", seconds=seconds,
        skipped=dataset.skipped,
    )  # fmt: skip


class CachedClusterer(StoryClusterer):
    """StoryClusterer whose probe embeddings are kept in an .npz file, by text hash."""

    def __init__(self, cache: Path, **params: Any) -> None:
        super().__init__(**params)
        self._cache_path = cache

    def _embed(self, articles: list[Article], options: ClusterOptions) -> np.ndarray:
        texts = [probe_text(a, options.probe_chars) for a in articles]
        keys = [hashlib.blake2b(t.encode(), digest_size=10).hexdigest() for t in texts]
        known: dict[str, np.ndarray] = {}
        if self._cache_path.is_file():
            try:
                with np.load(self._cache_path) as stored:
                    known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
            except Exception:  # a truncated or foreign cache file is rebuilt
                known = {}
        missing = [i for i, key in enumerate(keys) if key not in known]
        if missing:
            vectors = embed_probes([texts[i] for i in missing])
            known.update({keys[i]: v for i, v in zip(missing, vectors, strict=True)})
            self._cache_path.parent.mkdir(parents=True, exist_ok=True)
            partial = self._cache_path.with_suffix(".partial.npz")
            np.savez(partial, keys=np.array(list(known)), vectors=np.vstack(list(known.values())))
            partial.replace(self._cache_path)  # a killed run leaves no half-written cache
        return np.vstack([known[key] for key in keys])
