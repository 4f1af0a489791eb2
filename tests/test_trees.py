"""LightGBM models evaluated in numpy give LightGBM's own predictions, missing values included."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import lightgbm as lgb
import numpy as np
import pytest

from samestory.errors import ModelError
from samestory.trees import TreeEnsemble


def _features(rng: np.random.Generator, rows: int, columns: int) -> np.ndarray:
    matrix = rng.uniform(-0.2, 1.2, (rows, columns))
    matrix[rng.random(matrix.shape) < 0.05] = np.nan
    matrix[rng.random(matrix.shape) < 0.05] = 0.0
    return matrix


@pytest.mark.parametrize("name", ["pair_model.json.gz", "pair_model_accurate.json.gz"])
def test_shipped_pair_models_predict_as_lightgbm(name: str) -> None:
    raw = resources.files("samestory.compare").joinpath(name).read_bytes()
    bundle = json.loads(gzip.decompress(raw))
    matrix = _features(np.random.default_rng(0), 500, len(bundle["feature_names"]))
    for text in [*bundle["regressors"].values(), bundle["classifier"]]:
        ours = TreeEnsemble.from_string(text)
        assert ours.model_to_string() == text
        np.testing.assert_allclose(
            ours.predict(matrix), lgb.Booster(model_str=text).predict(matrix), rtol=0, atol=1e-12
        )


@pytest.mark.parametrize(
    "params",
    [
        {"objective": "regression"},  # NaN goes the learned default way
        {"objective": "regression", "zero_as_missing": True},
        {"objective": "regression", "use_missing": False},  # NaN reads as 0
        {"objective": "binary"},  # a probability
        {"objective": "huber"},
    ],
)
def test_every_missing_value_rule_matches_lightgbm(params: dict[str, object]) -> None:
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(3000, 5))
    matrix[rng.random(matrix.shape) < 0.2] = np.nan
    matrix[rng.random(matrix.shape) < 0.2] = 0.0
    target = np.nan_to_num(matrix[:, 0]) + rng.random(3000)
    if params["objective"] == "binary":
        target = (target > 0.5).astype(int)
    booster = lgb.train(
        {**params, "verbose": -1, "num_leaves": 31, "min_data_in_leaf": 5},
        lgb.Dataset(matrix, target),
        num_boost_round=40,
    )
    ours = TreeEnsemble.from_string(booster.model_to_string())
    np.testing.assert_allclose(ours.predict(matrix), booster.predict(matrix), rtol=0, atol=1e-12)
    # a single row, and rows one at a time, as compare asks for them
    np.testing.assert_allclose(ours.predict(matrix[0]), booster.predict(matrix[:1]), atol=1e-12)


def test_a_tree_without_splits() -> None:
    matrix = np.zeros((50, 2))
    booster = lgb.train(
        {"objective": "regression", "verbose": -1}, lgb.Dataset(matrix, np.ones(50)), 3
    )
    ours = TreeEnsemble.from_string(booster.model_to_string())
    np.testing.assert_allclose(ours.predict(matrix), booster.predict(matrix), atol=1e-12)


def test_what_cannot_be_read_is_refused_when_loading() -> None:
    rng = np.random.default_rng(2)
    matrix = np.column_stack([rng.integers(0, 5, 500), rng.normal(size=500)])
    booster = lgb.train(
        {"objective": "regression", "verbose": -1, "min_data_per_group": 5},
        lgb.Dataset(matrix, matrix[:, 0] * 2.0, categorical_feature=[0]),
        10,
    )
    with pytest.raises(ModelError, match="categorical"):
        TreeEnsemble.from_string(booster.model_to_string())
    multiclass = lgb.train(
        {"objective": "multiclass", "num_class": 3, "verbose": -1},
        lgb.Dataset(matrix, rng.integers(0, 3, 500)),
        3,
    )
    with pytest.raises(ModelError, match="multiclass"):
        TreeEnsemble.from_string(multiclass.model_to_string())
    with pytest.raises(ModelError, match="no trees"):
        TreeEnsemble.from_string("tree\nversion=v4\nobjective=regression\n")
    plain = lgb.train(
        {"objective": "regression", "verbose": -1}, lgb.Dataset(matrix, matrix[:, 1]), 3
    )
    with pytest.raises(ModelError, match="reads 2 features"):
        TreeEnsemble.from_string(plain.model_to_string()).predict(np.zeros((1, 1)))
