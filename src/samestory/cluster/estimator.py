"""``StoryClusterer``: stories from a list of articles, following scikit-learn's estimator contract.

``__init__`` only stores parameters; ``fit(X)`` clusters from scratch, returns ``self`` and sets
``labels_``; ``partial_fit(X)`` adds articles to the stories found so far; ``fit_predict(X)``
returns ``labels_``. A label, once given, always names the same story: it stays on the bulk of
that story's articles, or, when two stories merge, the younger label is recorded in
``merges_`` as absorbed by the older one. Articles added since the last full grouping are
linked to the stories so far; once the corpus has grown by ``regroup_share`` (10 %), all are
grouped afresh as ``fit`` would and the new groups are named by overlap with the old stories
(:func:`samestory.cluster.core.reconcile`), so early stories formed from a few articles are
revised (even split) by later evidence. ``X`` is a list of :class:`~samestory.Article` or
of texts. Labels are story numbers kept stable across calls, so they need not run from 0 to
n − 1: count stories with ``len(set(labels_))``, not ``labels_.max() + 1``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..article import Article
from ..errors import InputError, OptionsError
from .core import (
    AUTO_MIN_ITEMS,
    PROVISIONAL_THRESHOLD,
    ClusterOptions,
    embed_probes,
    lexical_text,
    link,
    probe_text,
    reconcile,
)
from .lexical import FIT_SAMPLE, LexicalModel, combine
from .neardup import NearDuplicateOptions, minhash_signatures, near_duplicate_groups


def _as_article(item: Article | str, index: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        if not re.search(r"\w", item):
            raise InputError(f"X[{index}]", "a text without words; give the article's text")
        return Article(text=item)
    raise InputError(
        f"X[{index}]", f"StoryClusterer takes Articles or texts, got {type(item).__name__}"
    )


class StoryClusterer:
    """Group news articles into stories (one story = one real-world event).

    Parameters mirror :class:`samestory.cluster.ClusterOptions`: ``threshold`` (mean
    similarity to join two groups; None: chosen without labels at each full grouping),
    ``k`` (candidate neighbours per article), ``window_days`` (largest publication gap inside
    a story; ``None`` for no limit), ``probe_chars`` (body characters embedded with the
    headline), ``near_duplicate_threshold`` (word 3-gram Jaccard above which texts are
    copies), ``n_clusters`` (merge whatever the similarity until that many stories remain;
    ``None``, the default, lets the threshold decide. It is a floor, not a promise: only
    articles within ``window_days`` of each other and linked through the ``k`` nearest
    neighbours are ever merged, so pass ``window_days=None`` to let dates not count) and ``regroup_share`` (group everything afresh once the corpus has
    grown by this share since the last full grouping; ``None``: never, existing stories then
    only grow or merge).
    """

    labels_: np.ndarray
    vectors_: np.ndarray
    signatures_: np.ndarray
    dates_: list[str | None]
    lexical_texts_: list[str]
    lexical_model_: LexicalModel | None
    merges_: list[tuple[int, int, float]]
    threshold_: float | None
    regrouped_at_: int

    def __init__(
        self,
        *,
        threshold: float | None = None,
        k: int = 20,
        window_days: int | None = 7,
        probe_chars: int = 512,
        near_duplicate_threshold: float = 0.8,
        lexical_weight: float = 0.5,
        n_clusters: int | None = None,
        regroup_share: float | None = 0.1,
    ) -> None:
        self.threshold = threshold
        self.k = k
        self.window_days = window_days
        self.probe_chars = probe_chars
        self.near_duplicate_threshold = near_duplicate_threshold
        self.lexical_weight = lexical_weight
        self.n_clusters = n_clusters
        self.regroup_share = regroup_share

    # scikit-learn's get_params/set_params, without depending on BaseEstimator
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "k": self.k,
            "window_days": self.window_days,
            "probe_chars": self.probe_chars,
            "near_duplicate_threshold": self.near_duplicate_threshold,
            "lexical_weight": self.lexical_weight,
            "n_clusters": self.n_clusters,
            "regroup_share": self.regroup_share,
        }

    def __repr__(self) -> str:
        defaults = StoryClusterer().get_params()
        changed = {k: v for k, v in self.get_params().items() if v != defaults[k]}
        return f"StoryClusterer({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags: a clusterer of texts, not of numeric arrays."""
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(
            estimator_type="clusterer",
            target_tags=TargetTags(required=False),
            input_tags=InputTags(two_d_array=False, string=True),
            non_deterministic=False,
        )

    def set_params(self, **params: Any) -> StoryClusterer:
        valid = self.get_params()
        for name, value in params.items():
            if name not in valid:
                raise OptionsError(
                    f"invalid parameter {name!r} for StoryClusterer; valid: {', '.join(valid)}"
                )
            setattr(self, name, value)
        return self

    def _options(self) -> ClusterOptions:
        if self.n_clusters is not None and self.n_clusters < 1:
            raise OptionsError(f"n_clusters must be at least 1 or None, got {self.n_clusters}")
        return ClusterOptions(
            threshold=self.threshold, k=self.k, window_days=self.window_days,
            probe_chars=self.probe_chars, lexical_weight=self.lexical_weight,
            near_duplicates=NearDuplicateOptions(threshold=self.near_duplicate_threshold),
            regroup_share=self.regroup_share,
        )  # fmt: skip

    def _embed(self, articles: list[Article], options: ClusterOptions) -> np.ndarray:
        return embed_probes([probe_text(a, options.probe_chars) for a in articles])

    def fit(self, X: Sequence[Article | str], y: Any = None) -> StoryClusterer:
        """Cluster ``X`` from scratch."""
        for name in (
            "vectors_",
            "labels_",
            "signatures_",
            "dates_",
            "merges_",
            "lexical_texts_",
            "lexical_model_",
            "threshold_",
            "regrouped_at_",
        ):
            self.__dict__.pop(name, None)
        return self.partial_fit(X)

    def partial_fit(self, X: Sequence[Article | str], y: Any = None) -> StoryClusterer:
        """Add ``X`` to the stories found so far (the first call is the same as ``fit``)."""
        options = self._options()
        if isinstance(X, str | bytes):
            raise InputError("X", "a single text; give a list of Articles or texts, e.g. [text]")
        articles = [_as_article(item, i) for i, item in enumerate(X)]
        vectors = self._embed(articles, options)
        signatures = minhash_signatures((a.full_text for a in articles), options.near_duplicates)
        dates = [a.published.isoformat() if a.published else None for a in articles]
        lexical_texts = [lexical_text(a, options.lexical_chars) for a in articles]
        if hasattr(self, "labels_"):
            existing = np.concatenate([self.labels_, np.full(len(articles), -1)])
            vectors = np.vstack([self.vectors_, vectors])
            signatures = np.vstack([self.signatures_, signatures])
            dates = [*self.dates_, *dates]
            lexical_texts = [*self.lexical_texts_, *lexical_texts]
        else:
            existing = np.full(len(articles), -1)
        previous = existing if hasattr(self, "labels_") else None
        threshold_so_far = getattr(self, "threshold_", None)
        regroup = options.regroup_due(
            len(vectors), getattr(self, "regrouped_at_", 0),
            provisional=options.threshold is None and threshold_so_far is None,
        )  # fmt: skip
        model = getattr(self, "lexical_model_", None)
        if options.lexical_weight > 0 and (
            model is None
            or _worth_refitting(model, lexical_texts)
            or (regroup and model.fitted_on < min(len(lexical_texts), FIT_SAMPLE))
        ):
            model = LexicalModel.fit(lexical_texts)
        combined = (
            combine(vectors, model.transform(lexical_texts), options.lexical_weight)
            if model is not None else vectors
        )  # fmt: skip
        groups = near_duplicate_groups(signatures, options.near_duplicates)
        provisional = False
        if options.threshold is None:
            if threshold_so_far is not None and not regroup:
                # kept between full groupings: stories stay comparable as they grow
                options = replace(options, threshold=threshold_so_far)
            elif len(vectors) < AUTO_MIN_ITEMS:
                options = replace(options, threshold=PROVISIONAL_THRESHOLD)
                provisional = True
        if regroup:  # everything afresh, as fit would; stories keep their numbers by overlap
            fresh = np.full(len(vectors), -1)
            labels, merges, threshold = _link_with_limit(
                combined, fresh, groups, dates, options, self.n_clusters
            )
            if previous is not None:
                labels, merges = reconcile(previous, labels, combined)
            self.regrouped_at_ = len(vectors)
        else:
            labels, merges, threshold = _link_with_limit(
                combined, existing, groups, dates, options, self.n_clusters
            )
        self.threshold_ = None if provisional else threshold
        self.lexical_texts_ = lexical_texts
        self.lexical_model_ = model
        self.vectors_ = vectors
        self.signatures_ = signatures
        self.dates_ = dates
        self.labels_ = labels
        self.merges_ = [*getattr(self, "merges_", []), *merges]
        self.n_features_in_ = vectors.shape[1]
        return self

    def fit_predict(self, X: Sequence[Article | str], y: Any = None) -> np.ndarray:
        return self.fit(X).labels_


def _worth_refitting(model: LexicalModel, texts: list[str]) -> bool:
    """Refit once the corpus has doubled since the fit (until the fit sample is full)."""
    return model.fitted_on < FIT_SAMPLE and len(texts) >= 2 * max(model.fitted_on, 1)


def _link_with_limit(
    vectors: np.ndarray,
    existing: np.ndarray,
    groups: list[list[int]],
    dates: list[str | None],
    options: ClusterOptions,
    n_clusters: int | None,
) -> tuple[np.ndarray, list[tuple[int, int, float]], float | None]:
    if n_clusters is None:
        return link(vectors, options=options, existing=existing, near_groups=groups, dates=dates)
    # given the number of stories, merge down to it whatever the similarity
    return link(
        vectors, options=replace(options, threshold=-1.0, candidate_floor=-1.0), existing=existing,
        near_groups=groups, dates=dates, min_clusters=n_clusters,
    )  # fmt: skip
