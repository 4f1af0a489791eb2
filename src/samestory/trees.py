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
    """A LightGBM model's trees as flat node arrays, evaluated for many rows at once.

    Tree ``t`` holds nodes ``t * width`` .. ``t * width + width - 1``: its internal nodes,
    then its leaves. Child links are flat indices and a leaf links to itself, so every row
    can take ``depth`` steps whatever the depth of the leaf it reaches.
    """

    text: str  # the model as LightGBM wrote it (kept so that it can be saved unchanged)
    roots: np.ndarray  # (trees,) flat index of each tree's first node
    feature: np.ndarray  # int64, -1 at leaves
    threshold: np.ndarray  # float64
    default_left: np.ndarray  # bool
    missing: np.ndarray  # int8: 0 none, 1 zero, 2 NaN
    left: np.ndarray  # int64 flat node indices
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
        if any(int(tree.get("num_cat", "0")) > 0 or tree.get("is_linear", "0") != "0"
               for tree in trees):  # fmt: skip
            raise ModelError("a LightGBM model with categorical or linear trees cannot be read")
        leaves = np.array([int(tree["num_leaves"]) for tree in trees])
        internal = leaves - 1
        width = int(2 * leaves.max() - 1)
        roots = np.arange(len(trees), dtype=np.int64) * width
        size = len(trees) * width
        feature = np.full(size, -1, dtype=np.int64)
        threshold, value = np.zeros(size), np.zeros(size)
        default_left = np.zeros(size, dtype=bool)
        missing = np.zeros(size, dtype=np.int8)
        left, right = np.arange(size, dtype=np.int64), np.arange(size, dtype=np.int64)
        value[np.repeat(roots + internal, leaves) + _ranks(leaves)] = _floats(
            " ".join(tree["leaf_value"] for tree in trees)
        )
        split = [tree for tree in trees if int(tree["num_leaves"]) > 1]
        if split:
            counts, starts = internal[internal > 0], roots[internal > 0]
            nodes = np.repeat(starts, counts) + _ranks(counts)

            def joined(key: str) -> str:
                return " ".join(tree[key] for tree in split)

            decision = _ints(joined("decision_type"))
            if (decision & _CATEGORICAL).any():
                raise ModelError("a LightGBM model with categorical splits cannot be read")
            feature[nodes] = _ints(joined("split_feature"))
            threshold[nodes] = _floats(joined("threshold"))
            default_left[nodes] = (decision & _DEFAULT_LEFT) != 0
            missing[nodes] = (decision >> 2) & 3
            own_start, own_internal = np.repeat(starts, counts), np.repeat(counts, counts)
            for key, side in (("left_child", left), ("right_child", right)):
                children = _ints(joined(key))  # a negative child is leaf ~child
                side[nodes] = own_start + np.where(
                    children >= 0, children, own_internal + ~children
                )
        depth, level = 0, roots[internal > 0]
        while level.size:
            below = np.concatenate([left[level], right[level]])
            level = below[feature[below] >= 0]
            depth += 1
        return cls(
            text=text, roots=roots, feature=feature, threshold=threshold,
            default_left=default_left, missing=missing, left=left, right=right, value=value,
            depth=depth, features=int(header.get("max_feature_idx", feature.max())) + 1,
            sigmoid=sigmoid,
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
        feature, threshold, missing = self.feature, self.threshold, self.missing
        cells = rows.ravel()
        row_start = (np.arange(len(rows), dtype=np.int64) * rows.shape[1])[:, None]
        node = np.repeat(self.roots[None, :], len(rows), axis=0)
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
            go_left = np.where(to_default, self.default_left[node], values <= threshold[node])
            node = np.where(go_left, self.left[node], self.right[node])
        return np.asarray(self.value[node].sum(axis=1))


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


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., counts[0] - 1, 0, 1, ..., counts[1] - 1, ...: each item's place in its group."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _floats(field: str) -> np.ndarray:
    values = np.array(field.split(), dtype=np.float64)
    if np.isnan(values).any():
        raise ModelError("the LightGBM model holds a value that is not a number")
    return values


def _ints(field: str) -> np.ndarray:
    return np.array(field.split(), dtype=np.int64)
