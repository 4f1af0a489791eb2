"""Sentence alignment: which sentences of A and B report the same thing.

One-to-one pairs are taken greedily from the most similar down to a threshold (USE cosine;
the multilingual encoder puts translations close, so the same threshold serves
cross-lingual pairs, a little lower). A sentence split in two or two merged into one is
caught by a second pass: an unaligned sentence joins an already aligned one when it is
clearly similar to it. What a B sentence adds over its A counterpart (names, numbers,
places, dates) is listed, so a restatement with more detail is aligned, not "only B".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..analyze import Analysis
from ..analyze.gazetteer import fold
from ..analyze.mentions import Mention, trimmed_span
from .comparison import AlignedPair, Span


@dataclass(frozen=True, kw_only=True)
class AlignOptions:
    """Thresholds on the USE cosine of two sentences."""

    # Paraphrases of one fact score ~0.65-0.95, sentences of one story on other facts ~0.3-0.6.
    threshold: float = 0.65
    # Translations lose a little similarity in the shared space.
    cross_lingual_threshold: float = 0.6
    # A split/merged part must be clearly similar to the sentence it joins ...
    split_threshold: float = 0.72
    # ... or, when it stands right beside the other part, similar enough: the second half of
    # a split sentence ("He was later charged ...") carries only part of the meaning.
    adjacent_split_threshold: float = 0.65


@dataclass(frozen=True)
class _Fact:
    """A fact of one sentence: its text as written (as the mention gives it), where it
    stands, and how another sentence gives it too: each of ``ways`` is a set of keys that
    sentence must all have. A name is there when each of its words is (so "Darian Jarrott"
    adds to "Jarrott"); a number or date when its normalised value is; a place when its
    gazetteer id is, or each of its words as a name (one report may know "Venezuela" as a
    country, the other only as a capitalised word)."""

    text: str
    span: Span
    ways: tuple[frozenset[str], ...]
    name: bool


def _fact_keys(mentions: list[Mention], sentence: str) -> list[_Fact]:
    """The facts of one sentence, each text once."""
    facts: dict[str, _Fact] = {}
    for m in mentions:
        if m.text in facts:
            continue
        words = frozenset(f"name:{token}" for token in fold(m.text).split())
        ways: tuple[frozenset[str], ...]
        if m.kind == "name":
            ways = (words,)
        elif m.kind == "place":
            ways = (frozenset({f"place:{m.value}"}), words)
        else:
            ways = (frozenset({f"{m.kind}:{m.value}"}),)
        facts[m.text] = _Fact(m.text, trimmed_span(m, sentence), ways, m.kind == "name")
    return list(facts.values())


def _difference(theirs: list[_Fact], ours: list[_Fact]) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """The facts of ``theirs`` that ``ours`` lacks, and their spans."""
    known = {key for fact in ours for way in fact.ways for key in way}
    missing = [fact for fact in theirs if not any(way <= known for way in fact.ways)]
    # "Jarrott" says nothing that "Darian Jarrott", missing too, does not
    names = [(n, fact.ways[0]) for n, fact in enumerate(missing) if fact.name]
    missing = [
        fact for n, fact in enumerate(missing)
        if not fact.name or not any(
            m != n and fact.ways[0] <= words and (fact.ways[0] < words or m < n)
            for m, words in names
        )
    ]  # fmt: skip
    return tuple(f.text for f in missing), tuple(f.span for f in missing)


_WORD = re.compile(r"[^\W\d_]+")


def word_overlap(a: Analysis, b: Analysis, min_shared: int = 3) -> np.ndarray:
    """Jaccard overlap of the words (not digits) of every sentence pair, 0 below ``min_shared`` words.

    The encoder can lose a sentence whose one rare token changed ("Mannheim.Ein" /
    "Nuremberg.Ein" score 0.61); the same words around it still say it is the same sentence.
    Digits are left out so that a changed figure does not hide its own sentence.
    """
    words_a = [set(_WORD.findall(s.casefold())) for s in a.sentences]
    words_b = [set(_WORD.findall(s.casefold())) for s in b.sentences]
    if len(words_a) * len(words_b) > _SPARSE_PAIRS:
        return _sparse_word_overlap(words_a, words_b, min_shared)
    overlap = np.zeros((len(words_a), len(words_b)), dtype=np.float32)
    for i, x in enumerate(words_a):
        for j, y in enumerate(words_b):
            shared = len(x & y)
            if shared >= min_shared:
                overlap[i, j] = shared / len(x | y)
    return overlap


# Above this many sentence pairs (two reports of ~300 sentences) the overlap is counted by a
# sparse product: linear in the shared words, where the loop above costs a set operation
# per pair (13 s for two texts of 5,000 sentences). Below it the loop is faster than
# importing SciPy.
_SPARSE_PAIRS = 90_000


def _sparse_word_overlap(
    words_a: list[set[str]], words_b: list[set[str]], min_shared: int
) -> np.ndarray:
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    columns = [
        np.array(
            [vocabulary.setdefault(w, len(vocabulary)) for s in side for w in s], dtype=np.int64
        )
        for side in (words_a, words_b)
    ]

    def incidence(sentences: list[set[str]], column: np.ndarray) -> sparse.csr_matrix:
        rows = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
        ones = np.ones(len(column), dtype=np.float32)
        return sparse.csr_matrix((ones, (rows, column)), shape=(len(sentences), len(vocabulary)))

    first, second = incidence(words_a, columns[0]), incidence(words_b, columns[1])
    shared = (first @ second.T).tocoo()
    keep = shared.data >= min_shared
    i, j, counts = shared.row[keep], shared.col[keep], shared.data[keep]
    sizes_a = np.array([len(s) for s in words_a], dtype=np.float32)
    sizes_b = np.array([len(s) for s in words_b], dtype=np.float32)
    overlap = np.zeros((len(words_a), len(words_b)), dtype=np.float32)
    overlap[i, j] = counts / (sizes_a[i] + sizes_b[j] - counts)
    return overlap


def align(
    a: Analysis, b: Analysis, similarity: np.ndarray, options: AlignOptions | None = None
) -> tuple[list[AlignedPair], list[int], list[int]]:
    """Aligned sentence pairs, and the sentences of A and of B with no counterpart.

    ``similarity`` is the encoder's cosine; in one language the word overlap of two sentences
    stands in for it where it is higher.
    """
    options = options or AlignOptions()
    if a.lang == b.lang and similarity.size:
        similarity = np.maximum(similarity, word_overlap(a, b))
    threshold = options.threshold if a.lang == b.lang else options.cross_lingual_threshold
    n_a, n_b = similarity.shape
    # only pairs at or above the threshold can link: sort those, not the whole matrix
    rows, columns = np.nonzero(similarity >= threshold)
    values = similarity[rows, columns]
    order = np.argsort(-values, kind="stable")
    links: dict[tuple[int, int], float] = {}
    used_a: set[int] = set()
    used_b: set[int] = set()
    for i, j, value in zip(
        rows[order].tolist(), columns[order].tolist(), values[order].tolist(), strict=True
    ):
        if i in used_a or j in used_b:
            continue
        links[(i, j)] = value
        used_a.add(i)
        used_b.add(j)
    # splits and merges: an unaligned sentence joins its best partner if that one is aligned
    for i in range(n_a):
        if i not in used_a and n_b:
            j = _split_partner(similarity[i], i, {(x, y) for x, y in links}, options)
            if j is not None:
                links[(i, j)] = float(similarity[i, j])
                used_a.add(i)
    for j in range(n_b):
        if j not in used_b and n_a:
            i = _split_partner(similarity[:, j], j, {(y, x) for x, y in links}, options)
            if i is not None:
                links[(i, j)] = float(similarity[i, j])
                used_b.add(j)

    facts_a = _facts_by_sentence(a)
    facts_b = _facts_by_sentence(b)
    pairs = []
    for (i, j), value in sorted(links.items()):
        adds, adds_spans = _difference(facts_b.get(j, []), facts_a.get(i, []))
        removes, removes_spans = _difference(facts_a.get(i, []), facts_b.get(j, []))
        pairs.append(
            AlignedPair(
                a=i,
                b=j,
                similarity=value,
                adds=adds,
                removes=removes,
                adds_spans=adds_spans,
                removes_spans=removes_spans,
            )
        )
    only_a = [i for i in range(n_a) if i not in used_a]
    only_b = [j for j in range(n_b) if j not in used_b]
    return pairs, only_a, only_b


def _split_partner(
    row: np.ndarray, index: int, links: set[tuple[int, int]], options: AlignOptions
) -> int | None:
    """The aligned sentence of the other side that sentence ``index`` is a part of, if any.

    ``row``: similarities of the sentence to the other side; ``links``: (this side, other side).
    """
    partners = {other for _, other in links}
    best = int(row.argmax())
    if row[best] >= options.split_threshold and best in partners:
        return best
    # the neighbour of an aligned sentence whose best match is that sentence's partner
    near = {other for mine, other in links if abs(mine - index) == 1}
    if best in near and row[best] >= options.adjacent_split_threshold:
        return best
    return None


def _facts_by_sentence(analysis: Analysis) -> dict[int, list[_Fact]]:
    grouped: dict[int, list[Mention]] = {}
    for m in analysis.mentions:
        grouped.setdefault(m.sentence, []).append(m)
    return {
        index: _fact_keys(mentions, analysis.sentences[index])
        for index, mentions in grouped.items()
    }
