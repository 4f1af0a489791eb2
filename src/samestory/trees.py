"""LightGBM text models evaluated in plain numpy, without importing LightGBM.

Predicting is all the shipped models need at run time (the pair model's heads and
classifier, the HTML block model), and importing LightGBM pulls in scikit-learn, SciPy and
pandas: about a second of every cold start, a third of `samestory compare`'s. Training still
uses LightGBM itself, and ``tests/test_trees.py`` checks that both give the same numbers.

Only what LightGBM writes for numerical splits is read: regression and binary objectives,
one tree per iteration, no categorical splits, no linear trees. Anything else raises
``ModelError`` when the model is loaded, never a wrong prediction later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ModelError

# LightGBM's kZeroThreshold: |x| at or below this counts as zero for "zero as missing".
_ZERO = 1e-35
# decision_type bits (LightGBM's tree.h): 1 categorical, 2 default left, 4|8 missing type.
_CATEGORICAL, _DEFAULT_LEFT = 1, 2
_MISSING_ZERO, _MISSING_NAN = 1, 2
# Objectives whose prediction is the raw sum of the trees.
_IDENTITY = ("regression", "regression_l1", "huber", "fair", "quantile", "mape")
# Rows evaluated at once: bounds the (rows x trees) work arrays.
_ROWS_PER_BLOCK = 2048


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """A LightGBM model's trees as arrays (trees x nodes), evaluated for many rows at once.

    Each tree's internal nodes come first, then its leaves; a leaf points to itself, so
    every row can take ``depth`` steps whatever the depth of the leaf it reaches.
    """

    text: str  # the model as LightGBM wrote it (kept so that it can be saved unchanged)
    feature: np.ndarray  # int32, -1 at leaves
    threshold: np.ndarray  # float64
    default_left: np.ndarray  # bool
    missing: np.ndarray  # int8: 0 none, 1 zero, 2 NaN
    left: np.ndarray  # int32 node indices
    right: np.ndarray
    value: np.ndarray  # float64, leaf outputs (0 at internal nodes)
    depth: int
    features: int  # how many input columns the model reads
    sigmoid: float | None  # binary objective: the probability is 1 / (1 + exp(-sigmoid * raw))

    @classmethod
    def from_string(cls, text: str) -> TreeEnsemble:
        """Parse LightGBM's text format (``Booster.model_to_string()``)."""
        header, trees = _parse(text)
        if header.get("num_tree_per_iteration", "1") != "1":
            raise ModelError("a multiclass LightGBM model cannot be read; retrain the model")
        objective = header.get("objective", "regression").split()
        sigmoid: float | None = None
        if objective and objective[0] == "binary":
            options = dict(part.split(":", 1) for part in objective[1:] if ":" in part)
            sigmoid = float(options.get("sigmoid", 1.0))
        elif objective and objective[0] not in _IDENTITY:
            raise ModelError(
                f"LightGBM objective {objective[0]!r} cannot be read; retrain the model"
            )
        if not trees:
            raise ModelError("the LightGBM model holds no trees; retrain the model")
        width = max(2 * int(tree["num_leaves"]) - 1 for tree in trees)
        shape = (len(trees), width)
        feature = np.full(shape, -1, dtype=np.int32)
        threshold = np.zeros(shape)
        default_left = np.zeros(shape, dtype=bool)
        missing = np.zeros(shape, dtype=np.int8)
        nodes = np.arange(width, dtype=np.int32)
        left = np.tile(nodes, (len(trees), 1))
        right = left.copy()
        value = np.zeros(shape)
        depth = 0
        for t, tree in enumerate(trees):
            depth = max(depth, _fill(t, tree, feature, threshold, default_left, missing,
                                     left, right, value))  # fmt: skip
        return cls(
            text=text, feature=feature, threshold=threshold, default_left=default_left,
            missing=missing, left=left, right=right, value=value, depth=depth,
            features=int(header.get("max_feature_idx", feature.max())) + 1, sigmoid=sigmoid,
        )  # fmt: skip

    def model_to_string(self) -> str:
        """The model in LightGBM's text format, as it was read."""
        return self.text

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        """The sum of the trees' outputs for each row of ``matrix`` (rows x features)."""
        rows = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
        if rows.shape[1] < self.features:
            raise ModelError(
                f"the model reads {self.features} features, the rows have {rows.shape[1]}"
            )
        out = np.empty(len(rows))
        for start in range(0, len(rows), _ROWS_PER_BLOCK):
            out[start : start + _ROWS_PER_BLOCK] = self._raw(rows[start : start + _ROWS_PER_BLOCK])
        return out

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """What ``lightgbm.Booster.predict`` returns: the raw sum, or a probability."""
        raw = self.raw(matrix)
        if self.sigmoid is None:
            return raw
        return np.asarray(1.0 / (1.0 + np.exp(-self.sigmoid * raw)))

    def _raw(self, rows: np.ndarray) -> np.ndarray:
        # Flat views: node k of tree t is t * width + k, so each step is one 1-D take.
        trees, width = self.feature.shape
        feature, threshold = self.feature.ravel(), self.threshold.ravel()
        missing, default_left = self.missing.ravel(), self.default_left.ravel()
        offset = (np.arange(trees, dtype=np.int64) * width)[None, :]
        left, right = (self.left + offset.T).ravel(), (self.right + offset.T).ravel()
        cells = rows.ravel()
        row_start = (np.arange(len(rows), dtype=np.int64) * rows.shape[1])[:, None]
        node = np.repeat(offset, len(rows), axis=0)
        for _ in range(self.depth):
            split = feature[node]
            values = cells[row_start + np.maximum(split, 0)]
            kind = missing[node]
            nan = np.isnan(values)
            # LightGBM's NumericalDecision: NaN is 0 unless NaN is the missing value
            values[nan & (kind != _MISSING_NAN)] = 0.0
            to_default = ((kind == _MISSING_ZERO) & (np.abs(values) <= _ZERO)) | (
                (kind == _MISSING_NAN) & nan
            )
            go_left = np.where(to_default, default_left[node], values <= threshold[node])
            node = np.where(go_left, left[node], right[node])
        return np.asarray(self.value.ravel()[node].sum(axis=1))


def _parse(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The header's and each tree's ``key=value`` lines."""
    header: dict[str, str] = {}
    trees: list[dict[str, str]] = []
    current = header
    for line in text.splitlines():
        if line.startswith("end of trees"):
            break
        key, sep, value = line.partition("=")
        if not sep:
            continue
        if key == "Tree":
            current = {}
            trees.append(current)
        else:
            current[key] = value
    return header, trees


def _fill(
    t: int,
    tree: dict[str, str],
    feature: np.ndarray,
    threshold: np.ndarray,
    default_left: np.ndarray,
    missing: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    value: np.ndarray,
) -> int:
    """Write tree ``t`` into the arrays; return its depth."""
    leaves = int(tree["num_leaves"])
    if int(tree.get("num_cat", "0")) > 0 or tree.get("is_linear", "0") != "0":
        raise ModelError("a LightGBM model with categorical or linear trees cannot be read")
    value[t, leaves - 1 : 2 * leaves - 1] = _floats(tree["leaf_value"])
    if leaves == 1:
        return 0
    internal = leaves - 1
    decision = _ints(tree["decision_type"])
    if any(d & _CATEGORICAL for d in decision):
        raise ModelError("a LightGBM model with categorical splits cannot be read")

    def node(child: int) -> int:  # a negative child is leaf ~child
        return child if child >= 0 else internal + ~child

    feature[t, :internal] = _ints(tree["split_feature"])
    threshold[t, :internal] = _floats(tree["threshold"])
    default_left[t, :internal] = [bool(d & _DEFAULT_LEFT) for d in decision]
    missing[t, :internal] = [(d >> 2) & 3 for d in decision]
    left[t, :internal] = [node(c) for c in _ints(tree["left_child"])]
    right[t, :internal] = [node(c) for c in _ints(tree["right_child"])]
    depth, level = 0, [0]
    while level:
        level = [c for n in level for c in (left[t, n], right[t, n]) if c < internal]
        depth += 1
    return depth


def _floats(field: str) -> list[float]:
    values = [float(v) for v in field.split()]
    if any(math.isnan(v) for v in values):
        raise ModelError("the LightGBM model holds a value that is not a number")
    return values


def _ints(field: str) -> list[int]:
    return [int(v) for v in field.split()]
