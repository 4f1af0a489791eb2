"""Candidate pairs: each article's nearest neighbours by embedding, within a time window.

Never all pairs: an approximate nearest-neighbour index answers k neighbours per article.
Two are offered: *cells* (the default), an inverted file of k-means cells searched exactly in
each article's ``PROBES`` nearest cells, the search the Spark engine runs in parallel
(``cell_search`` here is the same computation, so a local run finds the Spark engine's
candidate pairs and both engines form the same stories), and HNSW (hnswlib: about log time
per query, as fast at 100k here, but its approximate neighbours are its own).
Small problems (and a few new articles against a stored corpus) use an exact blocked matrix
product instead, which is faster below a few thousand rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import OptionsError

# Below this many items an exact search is cheaper than building an index.
EXACT_LIMIT = 4000
_BLOCK = 256  # queries of the exact search at a time: a 256 x 100k block is 100 MB
NEIGHBOUR_SEARCHES = ("hnsw", "cells")
# The cell search: articles per k-means cell, and cells searched per article.
CELL_SIZE = 2000
PROBES = 4


def _exact(queries: np.ndarray, corpus: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, len(corpus))
    indices = np.empty((len(queries), k), dtype=np.int64)
    scores = np.empty((len(queries), k), dtype=np.float32)
    for start in range(0, len(queries), _BLOCK):
        block = queries[start : start + _BLOCK] @ corpus.T
        # the k largest, partitioned to the end: numpy's selection of the k smallest of the
        # negated block was ~3x slower here (and the negation a copy of the whole block)
        top = np.argpartition(block, block.shape[1] - k, axis=1)[:, -k:]
        indices[start : start + len(block)] = top
        scores[start : start + len(block)] = np.take_along_axis(block, top, axis=1)
    return indices, scores


def _hnsw(vectors: np.ndarray, k: int, threads: int) -> tuple[np.ndarray, np.ndarray]:
    import hnswlib

    index = hnswlib.Index(space="ip", dim=vectors.shape[1])
    # M and ef chosen for recall ≥ 0.95 at k ≤ 30 on news embeddings (see BENCHMARKS.md)
    index.init_index(max_elements=len(vectors), ef_construction=80, M=16, random_seed=13)
    # built with one thread: items inserted in parallel link differently from run to run,
    # and the stories with them (two 100k runs agreed only to ARI 0.987); queries are
    # independent of each other, so they use every thread
    index.set_num_threads(1)
    index.add_items(vectors, np.arange(len(vectors)))
    index.set_num_threads(threads)
    index.set_ef(max(2 * k, 40))
    labels, distances = index.knn_query(vectors, k=min(k, len(vectors)))
    return labels.astype(np.int64), (1.0 - distances).astype(np.float32)


def _triples(
    rows: np.ndarray, neighbours: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, neighbours, scores) flat, from each row's matrix row of neighbours and scores."""
    return np.repeat(rows, neighbours.shape[1]), neighbours.ravel(), scores.ravel()


def cell_count(n: int, cell_size: int = CELL_SIZE) -> int:
    return max(1, math.ceil(n / cell_size))


def centroid_sample_size(n: int, cells: int) -> int:
    """How many vectors the cells are fitted on: the first ones in corpus order (a rule both
    engines can follow exactly)."""
    return min(n, max(40 * cells, 10_000), 200_000)


def fit_centroids(sample: np.ndarray, cells: int) -> np.ndarray:
    """k-means cells (spherical: unit centroids) fitted on ``sample``."""
    from sklearn.cluster import KMeans

    fit = KMeans(n_clusters=min(cells, len(sample)), n_init=1, max_iter=25, random_state=13)
    centres = fit.fit(np.asarray(sample, dtype=np.float32)).cluster_centers_
    return (centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)).astype(
        np.float32
    )


def nearest_cells(vectors: np.ndarray, centroids: np.ndarray, probes: int) -> np.ndarray:
    """The ``probes`` cells nearest each vector (n x probes), the first one its home cell."""
    scores = vectors @ centroids.T
    return np.argsort(-scores, axis=1, kind="stable")[:, : min(probes, len(centroids))]


def best_per_row(
    rows: np.ndarray, neighbours: np.ndarray, scores: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of (row, neighbour, score) triples, each row's ``k`` best by score (ties: the lower
    neighbour), as the Spark engine ranks the neighbours an article found in several cells."""
    order = np.lexsort((neighbours, -scores, rows))
    rows, neighbours, scores = rows[order], neighbours[order], scores[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    counts = np.diff(np.r_[starts, len(rows)])
    rank = np.arange(len(rows)) - np.repeat(starts, counts)
    keep = rank < k
    return rows[keep], neighbours[keep], scores[keep]


def cell_search(
    vectors: np.ndarray, k: int, *, cell_size: int = CELL_SIZE, probes: int = PROBES
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest rows among the home members of its ``probes`` nearest cells,
    as (rows, neighbours, scores); exact when the corpus has at most ``probes`` cells."""
    n = len(vectors)
    cells = cell_count(n, cell_size)
    if cells <= probes:
        return _triples(np.arange(n), *_exact(vectors, vectors, k))
    centroids = fit_centroids(vectors[: centroid_sample_size(n, cells)], cells)
    nearest = nearest_cells(vectors, centroids, probes)
    home = nearest[:, 0]
    found_rows, found_neighbours, found_scores = [], [], []
    for cell in range(len(centroids)):
        homes = np.flatnonzero(home == cell)
        if len(homes) == 0:
            continue
        queries = np.flatnonzero((nearest == cell).any(axis=1))
        rows, indices, scores = _triples(queries, *_exact(vectors[queries], vectors[homes], k))
        found_rows.append(rows)
        found_neighbours.append(homes[indices])
        found_scores.append(scores)
    return best_per_row(
        np.concatenate(found_rows), np.concatenate(found_neighbours),
        np.concatenate(found_scores), k,
    )  # fmt: skip


def _day_numbers(dates: Sequence[str | None]) -> np.ndarray:
    """Days since epoch, NaN where unknown (an undated article may link to any date)."""
    import datetime as dt

    out = np.full(len(dates), np.nan)
    for i, value in enumerate(dates):
        if value:
            out[i] = dt.date.fromisoformat(value[:10]).toordinal()
    return out


def candidate_edges(
    vectors: np.ndarray,
    *,
    k: int,
    min_similarity: float,
    dates: Sequence[str | None] | None = None,
    window_days: int | None = None,
    query_rows: np.ndarray | None = None,
    threads: int = 2,
    search: str = "cells",
) -> np.ndarray:
    """Pairs (i, j), i < j, among each row's ``k`` nearest neighbours, cosine ≥ ``min_similarity``.

    ``query_rows`` limits the search to those rows as queries (new articles against all);
    ``dates``/``window_days`` drop pairs published further apart than the window;
    ``search``: ``hnsw`` or ``cells`` above ``EXACT_LIMIT`` rows (see the module docstring).
    """
    if search not in NEIGHBOUR_SEARCHES:
        raise OptionsError(f"unknown neighbour search {search!r}; use one of {NEIGHBOUR_SEARCHES}")
    n = len(vectors)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    k = min(k + 1, n)  # each row finds itself
    if query_rows is not None or (search == "hnsw" and n <= EXACT_LIMIT):
        rows = np.arange(n) if query_rows is None else np.asarray(query_rows, dtype=np.int64)
        left, right, found = _triples(rows, *_exact(vectors[rows], vectors, k))
    elif search == "cells":  # module constants read here, so that tests can shrink them
        left, right, found = cell_search(vectors, k, cell_size=CELL_SIZE, probes=PROBES)
    else:
        left, right, found = _triples(np.arange(n), *_hnsw(vectors, k, threads))
    keep = (found >= min_similarity) & (left != right) & (right >= 0)
    if dates is not None and window_days is not None:
        days = _day_numbers(dates)
        gap = np.abs(days[left] - days[right])
        keep &= ~(gap > window_days)  # NaN (undated) compares False: kept
    pairs = np.column_stack([np.minimum(left, right), np.maximum(left, right)])[keep]
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0)
