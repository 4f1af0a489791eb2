"""Grouping linked articles into stories: average-link agglomeration over a sparse graph.

Average link (the mean similarity of every member of A with every member of B) does not chain
the way single link or connected components do: one bridging article cannot glue two events
together. With L2-normalised vectors it costs almost nothing, because the mean pairwise cosine
of A and B is ``sum(A) · sum(B) / (|A| |B|)``; only clusters joined by a candidate edge are ever
compared, so the work grows with the edges, not with the square of the corpus.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

import numpy as np


def average_link(
    vectors: np.ndarray,
    initial: Sequence[int] | np.ndarray,
    edges: np.ndarray,
    threshold: float,
    *,
    fixed_sums: dict[int, tuple[np.ndarray, int]] | None = None,
    min_clusters: int = 1,
    verify: Callable[[list[int], list[int], float], bool] | None = None,
) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """Merge clusters while the best average-link similarity between neighbours is ≥ threshold.

    ``vectors`` (n x d, normalised) are the items, ``initial[i]`` the cluster each starts in
    (near-copies and members of an existing story start together), ``edges`` (m x 2) the
    candidate item pairs. ``fixed_sums`` gives, for an initial cluster, the sum and size of
    members that are not among ``vectors`` (stored members of an existing story).

    ``verify(rows_a, rows_b, similarity)``, when given, is asked before each merge (with the
    member rows of both sides); when it says no, the two are not merged unless one of them
    grows and they meet again.
    ``min_clusters`` stops merging once that few clusters remain (to compare with methods
    given the true number of clusters).

    Returns the final cluster of each item (the id of one of its initial clusters: the
    smallest one, so existing stories keep their ids) and the merges made, as
    (absorbed cluster, surviving cluster, similarity), in order.
    """
    initial_array = np.asarray(initial, dtype=np.int64)
    sums: dict[int, np.ndarray] = {}
    sizes: dict[int, int] = {}
    if len(initial_array):
        order = np.argsort(initial_array, kind="stable")
        clusters, starts, counts = np.unique(
            initial_array[order], return_index=True, return_counts=True
        )
        # each cluster's rows summed in float64 as they are read: no float64 copy of every
        # vector (0.6 GB at 100k) and no sorted copy either. ``np.add.reduceat`` with a float64
        # dtype adds the same rows in the same order but casts element by element: 2-3 s at
        # 100k x 768, against ~0.2 s for this loop (the same sums, bit for bit)
        for cluster, start, count in zip(
            clusters.tolist(), starts.tolist(), counts.tolist(), strict=True
        ):
            rows = order[start : start + count]
            sums[cluster] = (
                vectors[rows[0]].astype(np.float64)
                if count == 1
                else vectors[rows].sum(axis=0, dtype=np.float64)
            )
            sizes[cluster] = count
    for cluster, (extra_sum, extra_size) in (fixed_sums or {}).items():
        sums[cluster] = sums.get(cluster, 0.0) + np.asarray(extra_sum, dtype=np.float64)
        sizes[cluster] = sizes.get(cluster, 0) + extra_size

    neighbours: dict[int, set[int]] = {c: set() for c in sums}
    for i, j in np.asarray(edges, dtype=np.int64).reshape(-1, 2):
        a, b = int(initial_array[i]), int(initial_array[j])
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)

    def similarity(a: int, b: int) -> float:
        return float(sums[a] @ sums[b]) / (sizes[a] * sizes[b])

    heap: list[tuple[float, int, int]] = []
    for a, others in neighbours.items():
        for b in others:
            if a < b:
                score = similarity(a, b)
                if score >= threshold:
                    heap.append((-score, a, b))
    heapq.heapify(heap)

    members: dict[int, list[int]] = {c: [] for c in sums}
    if verify is not None:
        for row, cluster in enumerate(initial_array.tolist()):
            members[cluster].append(row)
    parent: dict[int, int] = {}
    merges: list[tuple[int, int, float]] = []
    remaining = len(sums)
    while heap and remaining > min_clusters:
        negative, a, b = heapq.heappop(heap)
        if a in parent or b in parent:
            continue  # stale: one side was merged since this entry was pushed
        score = similarity(a, b)
        if abs(score + negative) > 1e-9:
            continue  # stale: a side grew since (a fresher entry exists when still linked)
        keep, gone = min(a, b), max(a, b)
        if verify is not None and not verify(members[keep], members[gone], score):
            neighbours[keep].discard(gone)
            neighbours[gone].discard(keep)
            continue
        parent[gone] = keep
        merges.append((gone, keep, score))
        remaining -= 1
        sums[keep] = sums[keep] + sums.pop(gone)
        sizes[keep] += sizes.pop(gone)
        members[keep].extend(members.pop(gone))
        linked = (neighbours.pop(gone) | neighbours[keep]) - {keep, gone}
        neighbours[keep] = linked
        for other in linked:
            neighbours[other].discard(gone)
            neighbours[other].add(keep)
            score = similarity(keep, other)
            if score >= threshold:
                heapq.heappush(heap, (-score, min(keep, other), max(keep, other)))

    def root(cluster: int) -> int:
        while cluster in parent:
            cluster = parent[cluster]
        return cluster

    labels = np.array([root(int(c)) for c in initial_array], dtype=np.int64)
    return labels, merges
