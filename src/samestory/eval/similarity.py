"""``samestory eval similarity``: score a pairs CSV with the shipped model (no training, no tuning)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ..compare import DIMENSIONS, CompareOptions
from ..compare.features import FEATURE_NAMES
from ..compare.training import build_features, evaluate_predictions, load_pairs
from ..errors import InputError, ModelError


def evaluate_similarity(
    pairs_csv: Path,
    *,
    options: CompareOptions | None = None,
    predictions_csv: Path | None = None,
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """Pearson per dimension and per language pair of the shipped model on ``pairs_csv``."""
    options = options or CompareOptions()
    model = options.model()
    missing = set(model.feature_names) - set(FEATURE_NAMES)
    if missing:
        raise ModelError(
            f"the pair model needs features {sorted(missing)} this version does not compute; "
            "retrain it with `samestory train`"
        )
    columns = [FEATURE_NAMES.index(name) for name in model.feature_names]
    reasons: list[str] = []
    rows, skipped = load_pairs(pairs_csv, reasons=reasons)
    if not rows:
        why = (
            f": all {skipped} rows lack a text, a pair id or gold scores in 1..4" if skipped else ""
        )
        raise InputError(str(pairs_csv), f"no pairs to score{why}")
    started = time.perf_counter()
    X, ok = build_features(rows, e5=model.uses_e5, cache_dir=None, progress=progress)
    kept = [row for row, keep in zip(rows, ok, strict=True) if keep]
    scores, probability = (
        model.predict(X[ok][:, columns]) if kept else (np.zeros((0, 7)), np.zeros(0))
    )
    seconds = time.perf_counter() - started
    Y = np.array([[row.gold[d] for d in DIMENSIONS] for row in kept]).reshape(-1, len(DIMENSIONS))
    report = (
        evaluate_predictions(scores, Y, [row.language_pair for row in kept])
        if kept
        else {"pearson": {}, "by_language": {}}
    )
    if predictions_csv is not None:
        import csv

        try:
            with predictions_csv.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["pair_id", *DIMENSIONS, "same_event_probability",
                                 "language_pair", *(f"gold_{d}" for d in DIMENSIONS)])  # fmt: skip
                for row, s, p in zip(kept, scores, probability, strict=True):
                    writer.writerow([row.pair_id, *(f"{v:.4f}" for v in s), f"{p:.4f}",
                                     row.language_pair, *(f"{row.gold[d]:g}" for d in DIMENSIONS)])  # fmt: skip
        except OSError as error:
            raise InputError(
                str(predictions_csv), f"cannot be written ({error.strerror or error})"
            ) from None
    return {
        "pairs": len(kept),
        "skipped": skipped + int((~ok).sum()),
        "skipped_rows": reasons
        + [
            f"{pairs_csv}: pair {row.pair_id}: a text could not be read"
            for row, keep in zip(rows, ok, strict=True)
            if not keep
        ],
        "pearson": report["pearson"],
        "by_language": report["by_language"],
        "seconds_per_pair": round(seconds / max(1, len(kept)), 4),
        "model_version": model.version,
    }
