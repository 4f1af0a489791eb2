"""The pair model bundle: kernel heads match scikit-learn's SVR and survive the JSON round trip."""

from __future__ import annotations

import json

import numpy as np

from samestory.compare.comparison import DIMENSIONS
from samestory.compare.model import KernelHeads, default_model
from samestory.compare.training import TrainOptions, fit_kernel_heads


def _data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(160, 6))
    X[rng.random(X.shape) < 0.05] = np.nan  # missing features, as the pair features have
    base = np.nan_to_num(X) @ rng.normal(size=6)
    Y = np.column_stack([2.5 + 0.3 * base + 0.1 * k for k in range(len(DIMENSIONS))])
    return X, Y


def test_kernel_heads_predict_like_scikit_learn_svr() -> None:
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR

    X, Y = _data()
    heads = fit_kernel_heads(X[:120], Y[:120], TrainOptions())
    raw = np.nan_to_num(X)
    scaler = StandardScaler().fit(raw[:120])
    for k in range(len(DIMENSIONS)):
        reference = SVR().fit(scaler.transform(raw[:120]), Y[:120, k])
        expected = reference.predict(scaler.transform(raw[120:]))
        assert np.allclose(heads.predict(X[120:])[:, k], expected, atol=1e-9)


def test_kernel_heads_survive_the_json_round_trip() -> None:
    X, Y = _data(1)
    heads = fit_kernel_heads(X, Y, TrainOptions())
    again = KernelHeads.from_json(json.loads(json.dumps(heads.to_json())))
    assert np.allclose(again.predict(X), heads.predict(X), atol=1e-4)  # stored as float32


def test_shipped_models_carry_kernel_heads() -> None:
    for accurate in (False, True):
        model = default_model(accurate)
        assert model.kernel is not None
        assert model.kernel.support.shape[1] == len(model.feature_names)
        assert model.metadata["kernel_heads"]["C"] == 1.0
