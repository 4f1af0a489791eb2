"""The clustering steps shared by the store pipeline and :class:`StoryClusterer`.

An article is represented for clustering by one embedding of its *probe*: the headline and the
first ``probe_chars`` characters of the body. News puts the event in the lead, and embedding a
whole article costs about eight times as much (see BENCHMARKS.md), so the probe is what is
embedded once per content hash and cached.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..article import Article, cut_at_word
from ..errors import OptionsError
from .candidates import NEIGHBOUR_SEARCHES, candidate_edges
from .linking import average_link
from .neardup import NearDuplicateOptions

PROBE_CHARS = 512  # body characters embedded with the headline, by default
PROBE_KIND = "probe"  # cached vectors are of kind f"{PROBE_KIND}:{probe_chars}"
AUTO_THRESHOLDS = tuple(round(0.15 + 0.05 * i, 2) for i in range(10))  # 0.15 .. 0.60
SILHOUETTE_SAMPLE = 3000
# A silhouette over fewer items than this is noise: until then the threshold is provisional,
# the value the silhouette picks on the largest benchmark here (GoogleNews-TS, no labels used).
AUTO_MIN_ITEMS = 100
PROVISIONAL_THRESHOLD = 0.3
# Grouping all items afresh once the corpus has grown by this share since the last full
# grouping: amortised, regrouping costs about 1/share batch runs of the final corpus, and early
# stories formed from few items are revised by the evidence that came later.
REGROUP_SHARE = 0.1
# Pair-model checks are budgeted per component of the candidate pairs at least this much
# below the threshold (the Spark engine's default ``link_margin``: it links each such
# component on its own).
COMPONENT_MARGIN = 0.05
_PAIR_BLOCK = 20_000


@dataclass(frozen=True, kw_only=True)
class ClusterOptions:
    """How articles are linked into stories.

    ``threshold``: two groups form one story when the mean similarity between their members
    is at least this. ``None`` (the default) picks it without labels: the cut of the
    average-link tree, among ``AUTO_THRESHOLDS``, with the best silhouette (how much closer
    members are to their own story than to the nearest other one; of cuts within one standard
    error of the best, the one with the fewest stories: ``choose_threshold``). Similarity
    scales differ a lot between headlines and full articles, so no one fixed number suits both.
    ``k``: nearest neighbours per article that are candidate links (the rest are never
    compared). ``candidate_floor``: neighbours less similar than this are not candidates.
    ``window_days``: articles published further apart are never linked (undated ones may).
    ``neighbour_search``: how the ``k`` nearest are found above a few thousand articles:
    ``cells`` (default), the inverted-file search of the Spark engine (the same computation,
    so a local run finds the Spark engine's candidate pairs and, with them, its stories; see
    ``candidates``), or ``hnsw`` (an HNSW graph: about as fast here, but its approximate
    neighbours differ from the Spark engine's, and the stories with them at ARI ~0.98).
    ``probe_chars``: how much of the body is embedded with the headline (512: the USE encoder
    runs ~8x faster than on whole articles, and WikiRef scores no lower than with 1000).
    ``lexical_weight``: share of the similarity that comes from shared rare words (TF-IDF
    LSA over the first ``lexical_chars`` characters) rather than from the multilingual
    embedding; 0.5 weighs both alike (not tuned). Set 0 for a purely cross-lingual corpus.
    ``model_band``, ``model_certain``, ``model_checks``, ``model_min_chars``: in the store
    pipeline, a merge whose similarity is below ``model_certain`` (0.45) or less than
    ``model_band`` above the threshold, whichever is higher, is put to the pair model
    (same-event probability ≥ 0.5 of the two most central articles) when both are at
    least ``model_min_chars`` long (shorter texts are too little for it: the embedding
    decides). A threshold chosen from the data can be a topic-level one (0.15–0.25 on a
    small mixed corpus), and below ~0.4 the model refuses most merges (on such a corpus it
    refused 93 % at 0.20–0.35 and 5 % at 0.45–0.50; see BENCHMARKS.md). It is asked at most
    ``model_checks`` times per linked component, or ``model_check_share``
    times its number of articles when that is more (the component: the articles joined by
    candidate pairs at least the threshold less 0.05 similar, and near-copies; the Spark
    engine links each such component on its own, so both engines check the same merges;
    each check costs two analyses of ~1.5k chars). A budget that grows with the component
    keeps the cost linear in the corpus while a large component is checked throughout:
    with a fixed 50, a component of 52k articles (half the 100k scale corpus) had its
    budget spent on its first band merges and took the rest unchecked, though the model
    refuses most of them (see BENCHMARKS.md). Once a component's budget is spent, its
    uncertain merges of long articles are not made: the stories stay apart (before the
    sixteenth session they were all made unchecked, which let a small corpus's topic-level
    threshold join unrelated events). Set ``model_checks=0`` to link on embeddings alone.
    ``regroup_share``: adding articles links them to the stories so far (fast), but once the
    corpus has grown by this share since the last full grouping (0.1: by 10 %), all articles
    are grouped afresh (as a batch run would, threshold chosen again) and the new groups
    take the ids of the stories they continue (see :func:`reconcile`): a story formed early
    from a few articles is revised by later evidence, and no id is lost. ``None``: never
    regroup (existing stories only grow or merge).
    ``copies_share_vectors``: in the store pipeline, a near-copy of a text already embedded
    (or embedded in the same run) takes that text's probe vector instead of being embedded
    again: near-copies end in one story whatever their vectors, and at scale most articles
    of a syndicated corpus are copies (embedding is most of the cost; see BENCHMARKS.md).
    ``False`` embeds every distinct text.
    """

    threshold: float | None = None
    k: int = 20
    candidate_floor: float = 0.1
    window_days: int | None = 7
    neighbour_search: str = "cells"
    probe_chars: int = PROBE_CHARS
    lexical_weight: float = 0.5
    lexical_chars: int = 4000
    model_band: float = 0.1
    model_certain: float = 0.45
    model_checks: int = 200
    model_check_share: float = 0.05
    model_min_chars: int = 600
    near_duplicates: NearDuplicateOptions = field(default_factory=NearDuplicateOptions)
    threads: int = 2
    regroup_share: float | None = REGROUP_SHARE
    copies_share_vectors: bool = True

    def __post_init__(self) -> None:
        if self.threshold is not None and not -1.0 <= self.threshold <= 1.0:
            raise OptionsError(f"threshold is a cosine similarity in [-1, 1], got {self.threshold}")
        if self.k < 1:
            raise OptionsError(f"k (neighbours per article) must be at least 1, got {self.k}")
        if self.neighbour_search not in NEIGHBOUR_SEARCHES:
            raise OptionsError(
                f"neighbour_search must be one of {NEIGHBOUR_SEARCHES}, got {self.neighbour_search!r}"
            )
        if self.window_days is not None and self.window_days < 0:
            raise OptionsError(f"window_days must be ≥ 0 or None, got {self.window_days}")
        if not 0.0 <= self.lexical_weight < 1.0:
            raise OptionsError(f"lexical_weight must be in [0, 1), got {self.lexical_weight}")
        if self.probe_chars < 50:
            raise OptionsError(f"probe_chars must be at least 50, got {self.probe_chars}")
        if self.model_check_share < 0:
            raise OptionsError(f"model_check_share must be ≥ 0, got {self.model_check_share}")
        if self.regroup_share is not None and not 0.0 <= self.regroup_share <= 1.0:
            raise OptionsError(
                f"regroup_share must be in [0, 1] or None (never regroup), got {self.regroup_share}"
            )

    def check_budget(self, size: int) -> int:
        """Pair-model checks allowed in a linked component of ``size`` articles."""
        if self.model_checks <= 0:
            return 0
        return max(self.model_checks, math.ceil(self.model_check_share * size))

    def regroup_due(self, total: int, grouped: int, *, provisional: bool) -> bool:
        """Whether ``total`` items, ``grouped`` of them at the last full grouping, are regrouped.

        Always while the threshold is provisional (too few items to choose it when last set).
        """
        if self.regroup_share is None or grouped <= 0:
            return grouped <= 0
        if provisional:
            return True
        return total - grouped >= self.regroup_share * grouped


def probe_text(article: Article, probe_chars: int) -> str:
    """Headline plus the start of the body, cut at a word boundary."""
    body = article.text
    if len(body) > probe_chars:
        cut = body.rfind(" ", 0, probe_chars)
        body = body[: cut if cut > probe_chars // 2 else probe_chars]
    if article.title and not body.startswith(article.title):
        return f"{article.title}\n{body}"
    return body


HEADLINE_CHARS = 120  # an untitled story's headline: its first sentence, at most this long
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def story_headline(title: str | None, text: str | None) -> str:
    """A story's headline from its most central member: the title, else the first sentence
    of the text, cut at a word near ``HEADLINE_CHARS`` (an ellipsis marks the cut)."""
    if title and title.strip():
        return title.strip()[:200]
    first = (text or "").strip().split("\n", 1)[0]
    # the first sentence end past a few words ("Dr. Smith said ..." is not cut after "Dr.")
    end = next((m.start() for m in _SENTENCE_END.finditer(first) if m.start() >= 20), None)
    first = first[:end].rstrip() if end is not None else first
    return cut_at_word(first, HEADLINE_CHARS)


def lexical_text(article: Article, lexical_chars: int) -> str:
    return article.full_text[:lexical_chars]


def embed_probes(texts: Sequence[str]) -> np.ndarray:
    from ..analyze.models import embed

    return embed(list(texts))


def link(
    vectors: np.ndarray,
    *,
    options: ClusterOptions,
    existing: np.ndarray | None = None,
    near_groups: Sequence[Sequence[int]] = (),
    dates: Sequence[str | None] | None = None,
    min_clusters: int = 1,
    verify: Callable[[list[int], list[int], float], bool] | None = None,
    edges: np.ndarray | None = None,
) -> tuple[np.ndarray, list[tuple[int, int, float]], float | None]:
    """Cluster rows of ``vectors``; returns a cluster number per row and the merges made.

    ``existing[i]`` ≥ 0 is the cluster row ``i`` already belongs to (kept: such clusters only
    grow or merge, and keep the smaller number); rows with -1 are new and are the only ones
    whose neighbours are searched. Rows in one ``near_groups`` group start together.
    New clusters are numbered after the existing ones, in row order. The third value is the
    threshold used (chosen from the data when ``options.threshold`` is None). ``edges``: the
    candidate pairs, when the caller has them already (``link_candidates``).
    """
    n = len(vectors)
    if existing is None:
        existing = np.full(n, -1, dtype=np.int64)
    existing = np.asarray(existing, dtype=np.int64)
    initial = existing.copy()
    next_cluster = int(existing.max()) + 1 if n and existing.max() >= 0 else 0
    for members in near_groups:  # a copy joins its original's story, or they start one together
        known = [int(existing[i]) for i in members if existing[i] >= 0]
        if not known:
            continue
        target = min(known)
        for i in members:
            if initial[i] < 0:
                initial[i] = target
    group_of: dict[int, int] = {}
    for number, members in enumerate(near_groups):
        for i in members:
            group_of[i] = number
    started: dict[int, int] = {}
    for i in range(n):
        if initial[i] >= 0:
            continue
        group_number = group_of.get(i)
        if group_number is not None and group_number in started:
            initial[i] = started[group_number]
            continue
        initial[i] = next_cluster
        if group_number is not None:
            started[group_number] = next_cluster
        next_cluster += 1
    new_rows = np.flatnonzero(existing < 0)
    if len(new_rows) == 0:
        return initial, [], options.threshold
    if edges is None:
        edges = link_candidates(vectors, existing, options, dates)
    threshold = options.threshold
    if threshold is None:
        threshold = choose_threshold(vectors, initial, edges)
    labels, merges = average_link(
        vectors, initial, edges, threshold, min_clusters=min_clusters, verify=verify
    )
    return labels, merges, threshold


def link_candidates(
    vectors: np.ndarray,
    existing: np.ndarray,
    options: ClusterOptions,
    dates: Sequence[str | None] | None = None,
) -> np.ndarray:
    """The candidate pairs ``link`` searches: the neighbours of the new rows (all rows when
    every row is new)."""
    new_rows = np.flatnonzero(np.asarray(existing) < 0)
    return candidate_edges(
        vectors, k=options.k, min_similarity=options.candidate_floor, dates=dates,
        window_days=options.window_days,
        query_rows=None if len(new_rows) == len(vectors) else new_rows, threads=options.threads,
        search=options.neighbour_search,
    )  # fmt: skip


def check_components(
    vectors: np.ndarray,
    edges: np.ndarray,
    near_groups: Sequence[Sequence[int]],
    threshold: float,
    margin: float = COMPONENT_MARGIN,
) -> np.ndarray:
    """Component number of each row: rows joined by candidate pairs at least ``threshold -
    margin`` similar, or by being near-copies. The Spark engine links each such component
    on its own; both engines give each its own budget of pair-model checks."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(vectors)
    pairs = [np.zeros((0, 2), dtype=np.int64)]
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    for start in range(0, len(edges), _PAIR_BLOCK):  # in blocks: 1M pairs would be GBs at once
        block = edges[start : start + _PAIR_BLOCK]
        similarity = np.einsum("ij,ij->i", vectors[block[:, 0]], vectors[block[:, 1]])
        pairs.append(block[similarity >= threshold - margin])
    for members in near_groups:
        if len(members) > 1:
            pairs.append(np.column_stack([np.full(len(members) - 1, members[0]), members[1:]]))
    joined = np.vstack(pairs)
    graph = coo_matrix(
        (np.ones(len(joined), dtype=np.int8), (joined[:, 0], joined[:, 1])), shape=(n, n)
    )
    return connected_components(graph, directed=False)[1]


def choose_threshold(vectors: np.ndarray, initial: np.ndarray, edges: np.ndarray) -> float:
    """The threshold among AUTO_THRESHOLDS whose clustering has the best silhouette (no labels).

    One agglomeration down to the lowest threshold; each candidate cut replays its merges
    above that threshold and is scored by the mean silhouette of a fixed random sample of the
    items, each measured against *every* item (``silhouettes``). Cuts whose score is within
    one standard error of the best are ties, as the sample cannot tell them apart: of those the
    one with the fewest stories (the lowest threshold) is taken, the one-standard-error rule
    of model selection (Hastie, Tibshirani & Friedman, *Elements of Statistical Learning*,
    7.10). Without it, a near-flat curve let the choice flip between cuts from one size of a
    growing corpus to the next (BENCHMARKS.md, Clustering).
    """
    _, merges = average_link(vectors, initial, edges, min(AUTO_THRESHOLDS))
    n = len(vectors)
    sample = np.random.default_rng(13).permutation(n)[: min(n, SILHOUETTE_SAMPLE)]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    clusters, inverse = np.unique(np.asarray(initial), return_inverse=True)
    scored: list[tuple[float, float, float]] = []  # threshold, mean silhouette, its std. error
    for threshold in AUTO_THRESHOLDS:
        parent = {gone: keep for gone, keep, score in merges if score >= threshold}
        roots = np.array([_root(parent, int(c)) for c in clusters.tolist()], dtype=np.int64)
        labels = roots[inverse]
        if not 1 < len(np.unique(labels)) < n:
            continue
        values = silhouettes(unit, labels, sample)
        scored.append(
            (threshold, float(values.mean()), float(values.std() / math.sqrt(len(values))))
        )
    if not scored:
        return AUTO_THRESHOLDS[len(AUTO_THRESHOLDS) // 2]
    _, best, error = max(scored, key=lambda cut: cut[1])
    return min(threshold for threshold, quality, _ in scored if quality >= best - error)


def silhouettes(
    unit: np.ndarray, labels: np.ndarray, sample: np.ndarray, block: int = 500
) -> np.ndarray:
    """Silhouette (cosine) of each item in ``sample``, measured against every item.

    ``unit``: L2-normalised vectors of all items. The mean distance of an item to a story is
    one minus its dot product with the story's sum vector over the story's size, so every
    item counts without an all-pairs matrix (scoring the sample against itself only, as
    scikit-learn's ``silhouette_score`` on a sample does, breaks small stories into
    singletons). An item alone in its story scores 0, as in scikit-learn.
    """
    from scipy.sparse import csr_matrix

    stories, story_of = np.unique(labels, return_inverse=True)
    k = len(stories)
    members = csr_matrix(
        (np.ones(len(labels), dtype=np.float32), (story_of, np.arange(len(labels)))),
        shape=(k, len(labels)),
    )
    sums = np.asarray(members @ unit, dtype=np.float32)  # k x dim
    sizes = np.bincount(story_of, minlength=k).astype(np.float64)
    values = np.zeros(len(sample))
    for start in range(0, len(sample), block):  # in blocks: k columns for each sampled item
        rows = np.asarray(sample[start : start + block])
        own = story_of[rows]
        similarity = (unit[rows] @ sums.T).astype(np.float64)  # sum over each story
        self_similarity = np.einsum("ij,ij->i", unit[rows], unit[rows]).astype(np.float64)
        index = np.arange(len(rows))
        others = sizes[own] - 1
        inside = 1.0 - (similarity[index, own] - self_similarity) / np.maximum(others, 1)
        outside = 1.0 - similarity / sizes
        outside[index, own] = np.inf
        nearest = outside.min(axis=1)
        value = (nearest - inside) / np.maximum(np.maximum(inside, nearest), 1e-12)
        values[start : start + len(rows)] = np.where(others > 0, value, 0.0)
    return values


def reconcile(
    previous: np.ndarray, regrouped: np.ndarray, vectors: np.ndarray
) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """Name a fresh grouping of all items with the numbers of the stories it continues.

    ``previous[i]`` is the story number item ``i`` had (-1: new item), ``regrouped[i]`` its
    group in the fresh grouping. Each earlier story's *heir* is the group holding most of its
    members (ties: the group met first). A group that is the heir of some stories takes the
    oldest (smallest) of their numbers, and the others are recorded as merged into it, as
    (absorbed, surviving, mean similarity of their earlier members); a group that is no
    story's heir is a new story, numbered after all earlier ones in order of first item.
    So every earlier number either lives on or resolves through a recorded merge; items that
    the fresh grouping moved out of their story (a split) follow their new group.
    """
    previous = np.asarray(previous, dtype=np.int64)
    regrouped = np.asarray(regrouped, dtype=np.int64)
    old_rows = np.flatnonzero(previous >= 0)
    counts: dict[int, dict[int, int]] = {}
    for story, group in zip(previous[old_rows].tolist(), regrouped[old_rows].tolist(), strict=True):
        per_group = counts.setdefault(story, {})
        per_group[group] = per_group.get(group, 0) + 1
    heirs: dict[int, list[int]] = {}
    for story, per_group in counts.items():
        heir = max(per_group, key=lambda g: per_group[g])  # dicts keep first-met order on ties
        heirs.setdefault(heir, []).append(story)
    number_of: dict[int, int] = {}
    merges: list[tuple[int, int, float]] = []
    for group, stories in heirs.items():
        keep = min(stories)
        number_of[group] = keep
        for gone in sorted(stories):
            if gone != keep:
                merges.append((gone, keep, _mean_similarity(vectors, previous, gone, keep)))
    next_number = int(previous.max()) + 1 if len(previous) and previous.max() >= 0 else 0
    labels = np.empty(len(regrouped), dtype=np.int64)
    for row, group in enumerate(regrouped.tolist()):
        if group not in number_of:
            number_of[group] = next_number
            next_number += 1
        labels[row] = number_of[group]
    return labels, merges


def _mean_similarity(vectors: np.ndarray, labels: np.ndarray, a: int, b: int) -> float:
    first = vectors[labels == a].astype(np.float64).sum(axis=0)
    second = vectors[labels == b].astype(np.float64).sum(axis=0)
    return float(first @ second) / (int((labels == a).sum()) * int((labels == b).sum()))


def _root(parent: dict[int, int], cluster: int) -> int:
    while cluster in parent:
        cluster = parent[cluster]
    return cluster
