"""Candidate pairs: each article's nearest neighbours by embedding, within a time window.

Never all pairs: an approximate nearest-neighbour index (HNSW, hnswlib) answers k neighbours
per article in about log time. Small problems (and a few new articles against a stored corpus)
use an exact blocked matrix product instead, which is faster below a few thousand rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Below this many items an exact search is cheaper than building an index.
EXACT_LIMIT = 4000
_BLOCK = 1024


def _exact(queries: np.ndarray, corpus: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, len(corpus))
    indices = np.empty((len(queries), k), dtype=np.int64)
    scores = np.empty((len(queries), k), dtype=np.float32)
    for start in range(0, len(queries), _BLOCK):
        block = queries[start : start + _BLOCK] @ corpus.T
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
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
) -> np.ndarray:
    """Pairs (i, j), i < j, among each row's ``k`` nearest neighbours, cosine ≥ ``min_similarity``.

    ``query_rows`` limits the search to those rows as queries (new articles against all);
    ``dates``/``window_days`` drop pairs published further apart than the window.
    """
    n = len(vectors)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    k = min(k + 1, n)  # each row finds itself
    if query_rows is not None:
        rows = np.asarray(query_rows, dtype=np.int64)
        neighbours, scores = _exact(vectors[rows], vectors, k)
    elif n <= EXACT_LIMIT:
        rows = np.arange(n)
        neighbours, scores = _exact(vectors, vectors, k)
    else:
        rows = np.arange(n)
        neighbours, scores = _hnsw(vectors, k, threads)
    left = np.repeat(rows, neighbours.shape[1])
    right = neighbours.reshape(-1)
    keep = (scores.reshape(-1) >= min_similarity) & (left != right) & (right >= 0)
    if dates is not None and window_days is not None:
        days = _day_numbers(dates)
        gap = np.abs(days[left] - days[right])
        keep &= ~(gap > window_days)  # NaN (undated) compares False: kept
    pairs = np.column_stack([np.minimum(left, right), np.maximum(left, right)])[keep]
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0)
