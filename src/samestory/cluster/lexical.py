"""The lexical half of an article's clustering vector: TF-IDF reduced by LSA (truncated SVD).

Reports of one event share rare words (names, places, the thing that happened) that a
sentence encoder smooths over; reports of one *topic* share the encoder's meaning but not
those words. Measured on GoogleNews-TS, adding this half to the USE embedding lifts average
link from ACC 0.80 to 0.90 (BENCHMARKS.md). The model is fitted on the corpus being clustered
(no labels), stored as plain arrays (vocabulary, idf, components: no pickle), and refitted
when the corpus has grown several-fold.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np

# Fitting on more documents than this changes little and costs time; the sample is the
# first documents in corpus order, so a rerun fits the same model.
FIT_SAMPLE = 20_000
COMPONENTS = 256
MAX_VOCABULARY = 2**18
_TOKEN_PATTERN = r"(?u)\b\w\w+\b"


@dataclass(frozen=True)
class LexicalModel:
    vocabulary: dict[str, int]
    idf: np.ndarray
    components: np.ndarray  # COMPONENTS x len(vocabulary), float32
    fitted_on: int

    @classmethod
    def fit(cls, texts: list[str]) -> LexicalModel:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        sample = texts[:FIT_SAMPLE]
        vectorizer = TfidfVectorizer(
            sublinear_tf=True, min_df=2 if len(sample) >= 50 else 1,
            max_features=MAX_VOCABULARY, token_pattern=_TOKEN_PATTERN, dtype=np.float32,
        )  # fmt: skip
        try:
            matrix = vectorizer.fit_transform(sample)
        except ValueError:  # no words at all
            matrix = None
        if matrix is None or matrix.shape[1] < 3:
            return cls({}, np.zeros(0, np.float32), np.zeros((0, 0), np.float32), len(sample))
        # as many components as texts when there are fewer: a smaller space would fold apart
        # texts together (two unrelated texts in one dimension are parallel after scaling)
        n_components = min(COMPONENTS, matrix.shape[1] - 1, matrix.shape[0])
        svd = TruncatedSVD(n_components, algorithm="randomized", n_iter=5, random_state=13)
        # on a handful of texts the explained-variance ratio (unused here) divides 0 by 0
        with np.errstate(invalid="ignore", divide="ignore"):
            svd.fit(matrix)
        vocabulary = {term: int(index) for term, index in vectorizer.vocabulary_.items()}
        return cls(
            vocabulary, vectorizer.idf_.astype(np.float32),
            svd.components_.astype(np.float32), len(sample),
        )  # fmt: skip

    @cached_property
    def digest(self) -> str:
        """A short hash of the model's contents: names the kind of the vectors it makes.

        Hashes the raw arrays (a fraction of a second), not ``to_bytes`` (which compresses
        them: seconds for a large vocabulary, once per use).
        """
        h = hashlib.blake2b(digest_size=6)
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        h.update(json.dumps(terms).encode("utf-8"))
        h.update(np.ascontiguousarray(self.idf, dtype=np.float32).tobytes())
        h.update(np.ascontiguousarray(self.components, dtype=np.float32).tobytes())
        h.update(str(self.fitted_on).encode())
        return h.hexdigest()

    @property
    def dim(self) -> int:
        return COMPONENTS

    def transform(self, texts: list[str]) -> np.ndarray:
        """Unit LSA vectors (n x COMPONENTS, zero-padded); zero for texts with no known word."""
        out = np.zeros((len(texts), COMPONENTS), dtype=np.float32)
        if not self.vocabulary or not texts:
            return out
        from sklearn.feature_extraction.text import CountVectorizer

        counts = CountVectorizer(
            vocabulary=self.vocabulary, token_pattern=_TOKEN_PATTERN, dtype=np.float32
        ).transform(texts)
        counts.data = 1.0 + np.log(counts.data)  # sublinear tf, as fitted
        weighted = counts.multiply(self.idf[np.newaxis, :]).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        reduced = np.asarray(weighted @ self.components.T) / np.maximum(norms, 1e-12)[:, None]
        lengths = np.linalg.norm(reduced, axis=1, keepdims=True)
        out[:, : reduced.shape[1]] = reduced / np.maximum(lengths, 1e-12)
        return out

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        # not compressed: float components barely shrink (118 of 129 MB for a 100k store's
        # model) and inflating them took most of a second of every `add`
        np.savez(
            buffer, idf=self.idf, components=self.components,
            terms=np.frombuffer(json.dumps(terms).encode("utf-8"), dtype=np.uint8),
            fitted_on=np.array([self.fitted_on]),
            digest=np.frombuffer(self.digest.encode("ascii"), dtype=np.uint8),
        )  # fmt: skip
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LexicalModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            terms = json.loads(arrays["terms"].tobytes().decode("utf-8"))
            model = cls(
                {term: index for index, term in enumerate(terms)}, arrays["idf"],
                arrays["components"], int(arrays["fitted_on"][0]),
            )  # fmt: skip
            if "digest" in arrays:  # saved with the model: hashing it again costs a second
                model.__dict__["digest"] = arrays["digest"].tobytes().decode("ascii")
            return model


def combine(semantic: np.ndarray, lexical: np.ndarray, lexical_weight: float) -> np.ndarray:
    """One unit vector per article whose dot products are the weighted mean of both cosines."""
    if lexical_weight <= 0.0:
        return np.asarray(semantic, dtype=np.float32)
    has_words = np.einsum("ij,ij->i", lexical, lexical) > 0.25
    # an article with no known word is compared on meaning alone, at full length
    semantic_weight = np.where(has_words, np.sqrt(1.0 - lexical_weight), 1.0).astype(np.float32)
    # written into one array: at 100k articles the temporaries of a stack cost seconds
    out = np.empty((len(semantic), semantic.shape[1] + lexical.shape[1]), dtype=np.float32)
    np.multiply(semantic, semantic_weight[:, None], out=out[:, : semantic.shape[1]])
    np.multiply(lexical, np.float32(np.sqrt(lexical_weight)), out=out[:, semantic.shape[1] :])
    return out
