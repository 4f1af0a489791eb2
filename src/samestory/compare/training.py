"""Train and cross-validate the pair model on SemEval-2022 Task 8 pairs (one command, fixed seed).

    samestory train ../shared/data/sts22/pairs.csv

reads the pairs, analyses every distinct text once (cached under ``.cache/``), runs grouped
5-fold cross-validation (group = pair id with its language suffix stripped, so a translated
copy never sits across a split from its original), prints Pearson per dimension beside two
baselines computed in the same run (plain embedding cosine, lexical-only head), then fits
the heads on all pairs and writes the bundle shipped in the package.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import pickle
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..analyze import ANALYSIS_VERSION
from ..article import Article
from ..errors import InputError, OptionsError
from .comparison import DIMENSIONS
from .features import FEATURE_NAMES, pair_features
from .model import SAME_EVENT_OVERALL, KernelHeads, PairModel, apply_stack, stage_one

GOLD_COLUMNS = {d: d.capitalize() for d in DIMENSIONS}
LEXICAL_FEATURES = ["word_jaccard", "word_overlap", "char4_cos", "title_char4_cos",
                    "chars_min", "chars_max", "same_language"]  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class TrainOptions:
    """How the pair model is trained. Defaults are fixed up front, not tuned on the folds."""

    folds: int = 5
    seed: int = 13
    # the accurate model also reads e5 features of headlines and leads
    accurate: bool = False
    n_estimators: int = 600
    learning_rate: float = 0.03
    num_leaves: int = 15
    min_child_samples: int = 20
    subsample: float = 0.8
    colsample_bytree: float = 0.7
    reg_lambda: float = 1.0
    threads: int = 2
    # a second stage-1 family beside the trees: RBF support-vector regression (scikit-learn's
    # default C and epsilon), averaged with the trees before the stacking stage
    kernel_heads: bool = True
    svr_c: float = 1.0
    svr_epsilon: float = 0.1

    def lgbm_params(self) -> dict[str, Any]:
        return {
            "n_estimators": self.n_estimators,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples,
            "subsample": self.subsample,
            "subsample_freq": 1,
            "colsample_bytree": self.colsample_bytree,
            "reg_lambda": self.reg_lambda,
            "n_jobs": self.threads,
            "random_state": self.seed,
            "verbose": -1,
        }


@dataclass
class PairRow:
    pair_id: str
    lang1: str
    lang2: str
    title1: str
    text1: str
    title2: str
    text2: str
    gold: dict[str, float]

    @property
    def group(self) -> str:
        """Pair id without language suffixes: "1483779588ru_1483796595ru" -> "1483779588_1483796595"."""
        return re.sub(r"[^0-9_]", "", self.pair_id)

    @property
    def language_pair(self) -> str:
        return f"{self.lang1}-{self.lang2}"


PAIRS_EXPECTED = "a pairs CSV with the columns of shared/data/sts22/pairs.csv"


def _gold(record: dict[str, Any]) -> dict[str, float] | None:
    """The seven gold scores of a record, or None when one is missing or outside 1..4."""
    gold = {}
    for dimension, column in GOLD_COLUMNS.items():
        try:
            value = float(record[column])
        except (KeyError, TypeError, ValueError):
            return None
        if not 1.0 <= value <= 4.0:  # also refuses nan
            return None
        gold[dimension] = value
    return gold


def load_pairs(
    path: Path, *, require_gold: bool = True, reasons: list[str] | None = None
) -> tuple[list[PairRow], int]:
    """Rows of a pairs CSV (columns of shared/data/sts22/pairs.csv) and the count skipped.

    A row with an empty text, an empty pair id or a gold score that is missing or outside
    1..4 is skipped and counted (and, given ``reasons``, named there: "line 7: no text2");
    a file without the needed columns is an InputError.
    """
    from ..read.decode import read_text_file

    csv.field_size_limit(sys.maxsize)
    text = read_text_file(path, PAIRS_EXPECTED)
    rows: list[PairRow] = []
    skipped = 0
    reader = csv.DictReader(io.StringIO(text, newline=""))
    needed = {"pair_id", "text1", "text2"} | (set(GOLD_COLUMNS.values()) if require_gold else set())
    missing = needed - set(reader.fieldnames or [])
    if missing:
        raise InputError(str(path), f"missing columns {sorted(missing)}; give {PAIRS_EXPECTED}")
    try:
        for record in reader:
            gold = _gold(record) if require_gold else {}
            text1, text2 = (record.get("text1") or "").strip(), (record.get("text2") or "").strip()
            pair_id = (record.get("pair_id") or "").strip()
            if gold is None or not text1 or not text2 or not pair_id:
                skipped += 1
                if reasons is not None:
                    why = (
                        "no pair_id" if not pair_id
                        else "no text1" if not text1
                        else "no text2" if not text2
                        else "a gold score missing or outside 1..4"
                    )  # fmt: skip
                    reasons.append(f"{path}:{reader.line_num}: {why}")
                continue
            rows.append(PairRow(
                pair_id=pair_id, lang1=record.get("lang1") or "", lang2=record.get("lang2") or "",
                title1=record.get("title1") or "", text1=text1,
                title2=record.get("title2") or "", text2=text2, gold=gold,
            ))  # fmt: skip
    except csv.Error as error:
        raise InputError(f"{path}:{reader.line_num}", f"not valid CSV ({error})") from None
    return rows, skipped


def _article(title: str, text: str, lang: str, source: str) -> Article:
    from ..read import article_from_text

    # an untitled text gets its headline from its first line, as a text read from a file does
    return article_from_text(text, title=title or None, lang=lang or None, source=source)


def analyse_texts(
    rows: list[PairRow],
    *,
    e5: bool = True,
    cache_dir: Path | None = None,
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
) -> tuple[dict[tuple[str, str, str], int], list[Any]]:
    """Analyse every distinct text of the rows once, in batches; cached by content.

    Returns the index of each (title, text, lang) and the analyses (None for a text that
    cannot be read). The cache holds analyses, not features, so new features need no new
    embedding pass.
    """
    from ..analyze import analyze_many

    check_cache_dir(cache_dir)
    texts: dict[tuple[str, str, str], int] = {}
    for row in rows:
        for title, text, lang in (
            (row.title1, row.text1, row.lang1),
            (row.title2, row.text2, row.lang2),
        ):
            texts.setdefault((title, text, lang), len(texts))
    key = hashlib.sha1((ANALYSIS_VERSION if e5 else ANALYSIS_VERSION + "-no-e5").encode())
    for title, text, lang in texts:
        key.update(f"{title}\x00{text}\x00{lang}\x01".encode())
    cache = cache_dir / f"analyses-{key.hexdigest()[:16]}.pkl" if cache_dir else None
    if cache and cache.is_file():
        try:
            with cache.open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, list) and len(cached) == len(texts):
                return texts, cached
        except Exception:  # a truncated or foreign cache file is rebuilt
            pass

    articles: list[Article | None] = []
    for title, text, lang in texts:
        try:
            articles.append(_article(title, text, lang, "sts22"))
        except InputError:
            articles.append(None)
    analyses: list[Any] = [None] * len(articles)
    batch = 32
    starts = range(0, len(articles), batch)
    iterator = progress(starts, len(starts), "analysing texts") if progress else starts
    for start in iterator:
        chunk = [
            (i, a) for i, a in enumerate(articles[start : start + batch], start) if a is not None
        ]
        batch_analyses = analyze_many([a for _, a in chunk], e5=e5)
        for (i, _), analysis in zip(chunk, batch_analyses, strict=True):
            analyses[i] = analysis
    if cache:
        _write_cache(cache, analyses)
    return texts, analyses


def check_cache_dir(cache_dir: Path | None) -> None:
    """Refuse, before any work, a cache folder that is a file or cannot be created."""
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = "is a file" if cache_dir.is_file() else f"cannot be created ({error.strerror})"
        raise InputError(str(cache_dir), f"{reason}; give a folder for --cache-dir") from None


def _write_cache(cache: Path, analyses: list[Any]) -> None:
    """Write the analyses atomically (a killed run leaves no half-written cache)."""
    partial = cache.with_suffix(".partial")
    with partial.open("wb") as handle:
        pickle.dump(analyses, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(cache)


def build_features(
    rows: list[PairRow],
    *,
    e5: bool = True,
    cache_dir: Path | None = None,
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix of the rows and a mask of the rows whose texts could be analysed.

    Without ``e5`` the e5 columns hold zeros (for models that do not read them).
    """
    texts, analyses = analyse_texts(rows, e5=e5, cache_dir=cache_dir, progress=progress)
    X = np.full((len(rows), len(FEATURE_NAMES)), np.nan)
    ok = np.zeros(len(rows), dtype=bool)
    for r, row in enumerate(rows):
        left = analyses[texts[(row.title1, row.text1, row.lang1)]]
        right = analyses[texts[(row.title2, row.text2, row.lang2)]]
        if left is None or right is None:
            continue
        features = pair_features(left, right)
        X[r] = [features[name] for name in FEATURE_NAMES]
        ok[r] = True
    return X, ok


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson's r to 4 places; None where it is undefined (under 3 pairs, a constant side),
    so a JSON report holds null, never NaN."""
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return None
    return round(float(np.corrcoef(x, y)[0, 1]), 4)


def _fit_regressors(X: np.ndarray, Y: np.ndarray, options: TrainOptions) -> dict[str, Any]:
    """Stage 1: one LightGBM regressor per dimension."""
    import lightgbm as lgb

    regressors = {}
    for k, dim in enumerate(DIMENSIONS):
        model = lgb.LGBMRegressor(**options.lgbm_params())
        model.fit(X, Y[:, k])
        regressors[dim] = model.booster_
    return regressors


def fit_kernel_heads(X: np.ndarray, Y: np.ndarray, options: TrainOptions) -> KernelHeads:
    """Stage 1, second family: one RBF support-vector regressor per dimension."""
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR

    raw = np.nan_to_num(X)
    scaler = StandardScaler().fit(raw)
    z = scaler.transform(raw)
    fitted = []
    for k in range(len(DIMENSIONS)):
        fitted.append(
            SVR(C=options.svr_c, epsilon=options.svr_epsilon, gamma="scale").fit(z, Y[:, k])
        )
    union = np.unique(np.concatenate([m.support_ for m in fitted]))
    position = {int(i): p for p, i in enumerate(union)}
    dual = {}
    for dim, m in zip(DIMENSIONS, fitted, strict=True):
        coefficients = np.zeros(len(union))
        coefficients[[position[int(i)] for i in m.support_]] = m.dual_coef_[0]
        dual[dim] = coefficients
    return KernelHeads(
        mean=np.asarray(scaler.mean_, dtype=np.float64),
        scale=np.asarray(scaler.scale_, dtype=np.float64),
        support=z[union],
        dual=dual,
        intercept={d: float(m.intercept_[0]) for d, m in zip(DIMENSIONS, fitted, strict=True)},
        gamma={d: float(m._gamma) for d, m in zip(DIMENSIONS, fitted, strict=True)},
    )


def _fit_stage_one(
    X: np.ndarray, Y: np.ndarray, options: TrainOptions
) -> tuple[dict[str, Any], KernelHeads | None]:
    kernel = fit_kernel_heads(X, Y, options) if options.kernel_heads else None
    return _fit_regressors(X, Y, options), kernel


def _fit_classifier(X: np.ndarray, Y: np.ndarray, options: TrainOptions) -> Any:
    """Same event or not: Overall below SAME_EVENT_OVERALL, with log-loss probabilities."""
    import lightgbm as lgb

    classifier = lgb.LGBMClassifier(**options.lgbm_params())
    classifier.fit(X, (Y[:, DIMENSIONS.index("overall")] < SAME_EVENT_OVERALL).astype(int))
    return classifier.booster_


def _splits(
    n: int, groups: np.ndarray, options: TrainOptions
) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    splitter = GroupKFold(n_splits=options.folds, shuffle=True, random_state=options.seed)
    return list(splitter.split(np.zeros(n), groups=groups))


def _stage1_out_of_fold(
    X: np.ndarray, Y: np.ndarray, groups: np.ndarray, options: TrainOptions
) -> np.ndarray:
    predictions = np.zeros_like(Y)
    for train, test in _splits(len(X), groups, options):
        regressors, kernel = _fit_stage_one(X[train], Y[train], options)
        predictions[test] = stage_one(regressors, kernel, X[test])
    return predictions


def _fit_stacked(
    X: np.ndarray, Y: np.ndarray, groups: np.ndarray, options: TrainOptions
) -> tuple[dict[str, Any], KernelHeads | None, dict[str, dict[str, Any]]]:
    """Stage 1 heads, and per dimension a ridge over all seven stage-1 scores.

    The seven dimensions are strongly related (Overall follows Narrative and Entities):
    the second stage lets each score borrow from the others. It is fitted on out-of-fold
    stage-1 predictions, so it learns how the heads err on unseen pairs.
    """
    from sklearn.linear_model import Ridge

    out_of_fold = _stage1_out_of_fold(X, Y, groups, options)
    stack = {}
    for k, dim in enumerate(DIMENSIONS):
        ridge = Ridge(alpha=1.0).fit(out_of_fold, Y[:, k])
        stack[dim] = {"coef": [float(c) for c in ridge.coef_], "intercept": float(ridge.intercept_)}
    regressors, kernel = _fit_stage_one(X, Y, options)
    return regressors, kernel, stack


def cross_validate(
    X: np.ndarray,
    Y: np.ndarray,
    groups: np.ndarray,
    options: TrainOptions,
    columns: list[int] | None = None,
    stacked: bool = False,
) -> np.ndarray:
    """Out-of-fold predictions (n x 7) of grouped k-fold cross-validation.

    With ``stacked`` the second stage is fitted inside each training fold (nested), so the
    held-out fold never informs it.
    """
    Xc = X if columns is None else X[:, columns]
    predictions = np.zeros_like(Y)
    for train, test in _splits(len(Xc), groups, options):
        if stacked:
            regressors, kernel, stack = _fit_stacked(Xc[train], Y[train], groups[train], options)
            predictions[test] = apply_stack(regressors, stack, Xc[test], kernel)
        else:
            regressors, kernel = _fit_stage_one(Xc[train], Y[train], options)
            predictions[test] = stage_one(regressors, kernel, Xc[test])
    return np.clip(predictions, 1.0, 4.0)


def evaluate_predictions(
    predictions: np.ndarray, Y: np.ndarray, language_pairs: list[str]
) -> dict[str, Any]:
    """Pearson per dimension and Overall Pearson per language pair."""
    result: dict[str, Any] = {
        "pearson": {d: _pearson(predictions[:, k], Y[:, k]) for k, d in enumerate(DIMENSIONS)}
    }
    overall = DIMENSIONS.index("overall")
    by_language: dict[str, Any] = {}
    for pair in sorted(set(language_pairs)):
        idx = np.array([p == pair for p in language_pairs])
        by_language[pair] = {
            "pairs": int(idx.sum()),
            "overall": _pearson(predictions[idx, overall], Y[idx, overall]),
        }
    result["by_language"] = by_language
    return result


def _check_groups(path: Path, rows: list[PairRow], folds: int) -> None:
    """Refuse, before any fitting, a file with fewer pair groups than folds."""
    groups = len({row.group for row in rows})
    if groups < folds:
        raise InputError(
            str(path),
            f"{len(rows)} usable pairs in {groups} groups (a pair and its translations form one "
            f"group): {folds}-fold cross-validation needs at least {folds} groups; give more "
            "pairs or fewer --folds",
        )


def train(
    pairs_csv: Path,
    *,
    options: TrainOptions | None = None,
    output: Path | None = None,
    cache_dir: Path | None = Path(".cache"),
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """Cross-validate, then fit on all pairs and save the model. Returns the CV report."""
    options = options or TrainOptions()
    if options.folds < 2:
        raise OptionsError(f"cross-validation needs at least 2 folds, got {options.folds}")
    rows, skipped = load_pairs(pairs_csv)
    _check_groups(pairs_csv, rows, options.folds)
    X, ok = build_features(rows, cache_dir=cache_dir, progress=progress)
    rows = [row for row, keep in zip(rows, ok, strict=True) if keep]
    _check_groups(pairs_csv, rows, options.folds)
    names = [n for n in FEATURE_NAMES if options.accurate or not n.startswith("e5_")]
    X = X[ok][:, [FEATURE_NAMES.index(n) for n in names]]
    Y = np.array([[row.gold[d] for d in DIMENSIONS] for row in rows])
    groups = np.array([row.group for row in rows])
    languages = [row.language_pair for row in rows]

    model_cv = evaluate_predictions(
        cross_validate(X, Y, groups, options, stacked=True), Y, languages
    )
    stage1_cv = evaluate_predictions(cross_validate(X, Y, groups, options), Y, languages)
    lexical_columns = [names.index(n) for n in LEXICAL_FEATURES]
    lexical_cv = evaluate_predictions(
        cross_validate(X, Y, groups, options, columns=lexical_columns), Y, languages
    )
    # Plain cosine: a high cosine means a low (similar) score, so correlate with its negation.
    cosine = -X[:, names.index("doc_cos")]
    cosine_cv = {"pearson": {d: _pearson(cosine, Y[:, k]) for k, d in enumerate(DIMENSIONS)}}
    report = {
        "pairs": len(rows),
        "skipped": skipped + int((~ok).sum()),
        "folds": options.folds,
        "seed": options.seed,
        "accurate": options.accurate,
        "model": model_cv,
        "stage1_only": stage1_cv,
        "baselines": {"embedding_cosine": cosine_cv, "lexical_head": lexical_cv},
    }
    if output is not None:
        regressors, kernel, stack = _fit_stacked(X, Y, groups, options)
        classifier = _fit_classifier(X, Y, options)
        # the version names everything that scores: features, both stages and the classifier
        # (until the sixteenth session it hashed the stage-1 heads only)
        parts = {
            "feature_names": names,
            "regressors": {d: b.model_to_string() for d, b in regressors.items()},
            "kernel": kernel.to_json() if kernel is not None else None,
            "stack": stack,
            "classifier": classifier.model_to_string(),
        }
        version = hashlib.sha1(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:12]
        model = PairModel(
            feature_names=names,
            regressors=regressors,
            stack=stack,
            classifier=classifier,
            kernel=kernel,
            version=version,
            metadata={
                "trained_on": pairs_csv.name,
                "pairs": len(rows),
                "cv": model_cv,
                "options": options.lgbm_params(),
                "kernel_heads": (
                    {"C": options.svr_c, "epsilon": options.svr_epsilon, "gamma": "scale"}
                    if options.kernel_heads
                    else None
                ),
            },
        )
        model.save(output)
        report["model_file"] = str(output)
        report["model_version"] = version
    return report
