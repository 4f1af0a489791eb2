"""Near-duplicates (syndicated copies, lightly edited versions): MinHash with LSH banding.

Same method as datasketch (MinHash over word 3-gram shingles, bands chosen from the
threshold by the same false-positive/false-negative balance), vectorised with numpy:
words are hashed once with CRC-32, shingles combined arithmetically, and all permutations
applied as one multiply-shift over the shingle array, instead of hashing every shingle with
SHA-1 and looping in Python. Candidate pairs from the bands are checked against the
estimated Jaccard similarity, so a group never forms on a chance band collision.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import OptionsError

__all__ = [
    "NearDuplicateOptions",
    "bucket_chain_pairs",
    "lsh_bands",
    "minhash_signatures",
    "near_duplicate_groups",
]

_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
_BUCKET_PEERS = 20


@dataclass(frozen=True, kw_only=True)
class NearDuplicateOptions:
    """``threshold``: Jaccard similarity of word 3-gram shingles above which two texts are
    copies of one another (0.8 keeps re-edited syndication, not two reports of one event);
    ``num_perm``: signature length (128, as datasketch's usual choice; error ≈ 1/sqrt(128))."""

    threshold: float = 0.8
    num_perm: int = 128
    shingle_words: int = 3
    seed: int = 1
    # Band candidates are checked against the signature estimate, so the bands can favour
    # recall (a false candidate costs one comparison, a missed copy is lost).
    recall_weight: float = 0.75

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise OptionsError(
                f"threshold must be between 0 and 1 (exclusive), got {self.threshold}"
            )
        if self.num_perm < 16:
            raise OptionsError(f"num_perm must be at least 16, got {self.num_perm}")

    @property
    def check_bar(self) -> float:
        """The estimated Jaccard similarity a band candidate must reach to be a copy.

        The estimate has a standard error of sqrt(J(1-J)/num_perm): a true pair at the
        threshold must not be lost to it, so the bar is two standard errors below it.
        """
        t = self.threshold
        return t - 2.0 * float(np.sqrt(t * (1.0 - t) / self.num_perm))


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # odd multipliers: multiply-shift hashing (Dietzfelbinger et al.) is universal for them
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return a.reshape(-1, 1), b.reshape(-1, 1)


def shingle_hashes(text: str, words: int = 3) -> np.ndarray:
    """32-bit hashes of the word ``words``-grams of ``text`` (case-folded), deduplicated."""
    tokens = _WORD.findall(text.casefold())
    if not tokens:
        return np.zeros(1, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    if len(h) >= words:
        combined = h[: len(h) - words + 1].copy()
        for offset in range(1, words):
            combined = combined * np.uint64(0x9E3779B1) + h[offset : len(h) - words + 1 + offset]
        h = combined
    return np.unique(h & _MASK32)


def minhash_signatures(texts: Iterable[str], options: NearDuplicateOptions) -> np.ndarray:
    """One MinHash signature (``num_perm`` uint32) per text."""
    a, b = _permutations(options.num_perm, options.seed)
    rows = []
    for text in texts:
        shingles = shingle_hashes(text, options.shingle_words)
        hashed = (a * shingles[np.newaxis, :] + b) >> np.uint64(32)
        rows.append(hashed.min(axis=1).astype(np.uint32))
    if not rows:
        return np.zeros((0, options.num_perm), dtype=np.uint32)
    return np.vstack(rows)


@lru_cache(maxsize=32)
def lsh_bands(threshold: float, num_perm: int, recall_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising weighted false positives + false negatives around
    ``threshold`` (datasketch's ``_optimal_param``; equal weights give its default)."""
    s_low = np.linspace(0.0, threshold, 200)
    s_high = np.linspace(threshold, 1.0, 200)
    best = (float("inf"), 1, num_perm)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_positive = np.trapezoid(1 - (1 - s_low**rows) ** bands, s_low)
            false_negative = np.trapezoid((1 - s_high**rows) ** bands, s_high)
            error = float((1.0 - recall_weight) * false_positive + recall_weight * false_negative)
            if error < best[0]:
                best = (error, bands, rows)
    return best[1], best[2]


def bucket_chain_pairs(
    members: np.ndarray,
    new_bucket: np.ndarray,
    signatures: np.ndarray,
    bar: float,
    peers: int = _BUCKET_PEERS,
) -> tuple[np.ndarray, np.ndarray]:
    """The near-copy pairs inside LSH buckets: (earlier, later) rows of ``signatures``.

    ``members``: row indices, bucket after bucket, each bucket's members in corpus order;
    ``new_bucket[i]``: ``members[i]`` opens a bucket. Each member is paired with its nearest
    earlier member of the bucket whose signatures agree on at least ``bar`` of their values
    (the estimated Jaccard similarity), looking at most ``peers`` members back: one pair per
    member at most, and the work stays linear even in a large bucket. Array operations over
    all buckets at once; the Spark engine runs the same function on blocks of buckets, so
    both engines form the same groups.
    """
    positions = np.arange(len(members))
    bucket_start = np.maximum.accumulate(np.where(new_bucket, positions, 0))
    pending = positions[~new_bucket]  # positions with an earlier member in their bucket
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for lag in range(1, peers + 1):
        pending = pending[pending - lag >= bucket_start[pending]]
        if len(pending) == 0:
            break
        a, b = members[pending - lag], members[pending]
        passed = (signatures[a] == signatures[b]).mean(axis=1) >= bar
        left.append(a[passed])
        right.append(b[passed])
        pending = pending[~passed]
    if not left:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(left), np.concatenate(right)


def near_duplicate_groups(signatures: np.ndarray, options: NearDuplicateOptions) -> list[list[int]]:
    """Groups (of two or more row indices, each sorted) of near-copies among ``signatures``.

    Per band, rows with equal band values share a bucket; each member of a bucket is checked
    against the estimated Jaccard similarity with its nearest earlier member, and, when that
    fails, with the next earlier one, up to ``_BUCKET_PEERS`` back (copies of a copy share
    band values: a few peers keep the work linear even in a large bucket). All of it runs
    as array operations over the sorted band values; groups are the connected components of
    the accepted pairs, in order of their first row.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(signatures)
    if n < 2:
        return []
    bands, rows = lsh_bands(options.threshold, signatures.shape[1], options.recall_weight)
    bar = options.check_bar
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for band in range(bands):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * block.shape[1]))).ravel()
        order = np.argsort(keys, kind="stable")  # a bucket's members stay in row order
        ordered = keys[order]
        new_bucket = np.ones(n, dtype=bool)
        new_bucket[1:] = ordered[1:] != ordered[:-1]
        a, b = bucket_chain_pairs(order, new_bucket, signatures, bar)
        left.append(a)
        right.append(b)
    a, b = np.concatenate(left), np.concatenate(right)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    grouped = np.flatnonzero(sizes[labels] > 1)  # rows in ascending order
    groups: dict[int, list[int]] = {}
    for row, label in zip(grouped.tolist(), labels[grouped].tolist(), strict=True):
        groups.setdefault(label, []).append(row)
    return list(groups.values())


def group_ids(ids: Sequence[str], groups: list[list[int]]) -> dict[str, str]:
    """article id -> group id (the id of the group's first article) for every grouped article."""
    out: dict[str, str] = {}
    for group in groups:
        for index in group:
            out[ids[index]] = ids[group[0]]
    return out
