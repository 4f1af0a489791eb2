"""The shipped pair model: LightGBM and kernel heads over pair features, per SemEval dimension.

The bundle is one gzipped JSON file inside the package (``pair_model.json.gz``) holding the
feature names, the boosters as LightGBM text, the kernel (RBF support-vector) heads as
numbers, the stacking stage, the same-event classifier and the cross-validated figures
recorded when it was trained.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .comparison import DIMENSIONS

# Two shipped models: the default one uses the fast USE encoder only (~70 ms a pair warm);
# the accurate one also reads e5 embeddings of headlines and leads (~0.3 s a pair).
MODEL_FILE = "pair_model.json.gz"
ACCURATE_MODEL_FILE = "pair_model_accurate.json.gz"
FORMAT_VERSION = 3
# Bundles this version can read: format 1 had no second (stacking) stage, format 2 no kernel heads.
READABLE_FORMATS = (1, 2, 3)
# Overall below this (1..4 scale) means annotators saw one event ("somewhat similar" or better).
SAME_EVENT_OVERALL = 2.5


@dataclass
class KernelHeads:
    """Support-vector regression with an RBF kernel, one head per dimension, in plain numpy.

    A second family of stage-1 heads beside the trees: smooth where the trees are stepwise,
    so the mean of the two errs less than either (see ``training.fit_kernel_heads``).
    Missing features (NaN) read as 0 before standardisation; the heads share one set of
    support vectors (the union of each head's), each with its own dual coefficients.
    """

    mean: np.ndarray  # (features,) standardisation
    scale: np.ndarray
    support: np.ndarray  # (vectors, features), standardised
    dual: dict[str, np.ndarray]  # dimension -> (vectors,)
    intercept: dict[str, float]
    gamma: dict[str, float]

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """Scores (n x 7, DIMENSIONS order) of the rows of ``matrix`` (raw features)."""
        z = (np.nan_to_num(matrix) - self.mean) / self.scale
        squared = (
            (z**2).sum(axis=1)[:, None]
            + (self.support**2).sum(axis=1)[None, :]
            - 2.0 * z @ self.support.T
        )
        squared = np.maximum(squared, 0.0)
        columns = []
        for d in DIMENSIONS:
            kernel = np.exp(-self.gamma[d] * squared)
            columns.append(kernel @ self.dual[d] + self.intercept[d])
        return np.column_stack(columns)

    def to_json(self) -> dict[str, Any]:
        def floats(array: np.ndarray) -> list[Any]:
            return list(np.asarray(array, dtype=np.float32).tolist())

        return {
            "mean": floats(self.mean),
            "scale": floats(self.scale),
            "support": floats(self.support),
            "dual": {d: floats(v) for d, v in self.dual.items()},
            "intercept": self.intercept,
            "gamma": self.gamma,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KernelHeads:
        def array(values: Any) -> np.ndarray:
            return np.asarray(values, dtype=np.float64)

        return cls(
            mean=array(data["mean"]),
            scale=array(data["scale"]),
            support=array(data["support"]),
            dual={d: array(v) for d, v in data["dual"].items()},
            intercept={d: float(v) for d, v in data["intercept"].items()},
            gamma={d: float(v) for d, v in data["gamma"].items()},
        )


def stage_one(
    regressors: dict[str, Any], kernel: KernelHeads | None, matrix: np.ndarray
) -> np.ndarray:
    """Stage-1 scores (n x 7): the LightGBM heads, averaged with the kernel heads when present."""
    trees = np.column_stack([regressors[d].predict(matrix) for d in DIMENSIONS])
    if kernel is None:
        return trees
    return (trees + kernel.predict(matrix)) / 2.0


def apply_stack(
    regressors: dict[str, Any],
    stack: dict[str, dict[str, Any]],
    matrix: np.ndarray,
    kernel: KernelHeads | None = None,
) -> np.ndarray:
    """Stage 1 (see ``stage_one``), then per dimension a linear map of all seven scores."""
    stage1 = stage_one(regressors, kernel, matrix)
    if not stack:
        return stage1
    coef = np.array([stack[d]["coef"] for d in DIMENSIONS])  # 7 x 7
    intercept = np.array([stack[d]["intercept"] for d in DIMENSIONS])
    return np.asarray(stage1 @ coef.T + intercept)


@dataclass
class PairModel:
    feature_names: list[str]
    regressors: dict[str, Any]
    stack: dict[str, dict[str, Any]]
    classifier: Any
    version: str
    metadata: dict[str, Any] = field(default_factory=dict)
    kernel: KernelHeads | None = None

    @property
    def uses_e5(self) -> bool:
        """Whether the model reads e5 features (analyses must carry e5 vectors)."""
        return any(name.startswith("e5_") for name in self.feature_names)

    def columns(self, feature_dicts: list[dict[str, float]]) -> np.ndarray:
        """The model's feature matrix from feature dicts (columns in the model's own order)."""
        try:
            return np.array([[f[name] for name in self.feature_names] for f in feature_dicts])
        except KeyError as missing:
            raise ModelError(
                f"the pair model needs feature {missing} that this version does not compute; "
                "retrain it with `samestory train`"
            ) from None

    def predict(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores (n x 7, clipped to 1..4, in DIMENSIONS order) and same-event probabilities.

        ``features`` has the model's columns (see ``columns``).
        """
        matrix = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if matrix.shape[1] != len(self.feature_names):
            raise ModelError(
                f"the pair model expects {len(self.feature_names)} features, got {matrix.shape[1]}; "
                "retrain it with `samestory train` for this version"
            )
        scores = apply_stack(self.regressors, self.stack, matrix, self.kernel)
        probability = self.classifier.predict(matrix)
        return np.clip(scores, 1.0, 4.0), np.clip(probability, 0.0, 1.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "version": self.version,
            "feature_names": self.feature_names,
            "regressors": {d: b.model_to_string() for d, b in self.regressors.items()},
            "stack": self.stack,
            "kernel": self.kernel.to_json() if self.kernel is not None else None,
            "classifier": self.classifier.model_to_string(),
            "metadata": self.metadata,
        }

    def save(self, path: Path) -> None:
        data = json.dumps(self.to_json()).encode("utf-8")
        path.write_bytes(gzip.compress(data, mtime=0))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairModel:
        """A bundle's model; its trees are evaluated in numpy (``samestory.trees``), so
        predicting needs no LightGBM import (about a second of every cold start)."""
        from ..trees import TreeEnsemble

        if data.get("format") not in READABLE_FORMATS:
            raise ModelError(
                f"pair model format {data.get('format')} is not {FORMAT_VERSION}; "
                "reinstall samestory or retrain with `samestory train`"
            )
        return cls(
            feature_names=list(data["feature_names"]),
            regressors={d: TreeEnsemble.from_string(s) for d, s in data["regressors"].items()},
            stack=data.get("stack", {}),
            classifier=TreeEnsemble.from_string(data["classifier"]),
            version=data["version"],
            metadata=data.get("metadata", {}),
            kernel=KernelHeads.from_json(data["kernel"]) if data.get("kernel") else None,
        )

    @classmethod
    def load(cls, path: Path | None = None, *, accurate: bool = False) -> PairModel:
        """A bundle from ``path``, or the one shipped in the package (``accurate`` picks which)."""
        name = ACCURATE_MODEL_FILE if accurate else MODEL_FILE
        try:
            if path is None:
                raw = resources.files(__package__).joinpath(name).read_bytes()
            else:
                raw = Path(path).read_bytes()
            data = json.loads(gzip.decompress(raw))
        except FileNotFoundError:
            raise ModelError(
                f"the pair model file {name if path is None else path} is missing; "
                "reinstall samestory or train one with `samestory train PAIRS.csv`"
            ) from None
        except (OSError, ValueError) as error:
            raise ModelError(
                f"the pair model file is corrupt ({error}); reinstall samestory"
            ) from None
        return cls.from_json(data)


@lru_cache(maxsize=2)
def default_model(accurate: bool = False) -> PairModel:
    """A model shipped in the package, loaded once per process."""
    return PairModel.load(accurate=accurate)
