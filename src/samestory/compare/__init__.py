"""Compare two articles: scores, verdict, alignment, what each adds, conflicts."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..analyze import Analysis, analyze_many, with_e5
from ..analyze.sentences import split_sentences
from ..article import Article
from ..errors import InputError, OptionsError
from .align import AlignOptions, align
from .comparison import (
    DIMENSIONS,
    AlignedPair,
    Comparison,
    Conflict,
    DocumentSummary,
    Inconsistency,
    Scores,
)
from .conflicts import find_conflicts
from .explain import explain
from .features import pair_features, sentence_similarity
from .model import PairModel, default_model

__all__ = [
    "DIMENSIONS",
    "AlignedPair",
    "CompareOptions",
    "Comparison",
    "Conflict",
    "Inconsistency",
    "Scores",
    "compare",
    "compare_analyses",
    "score_pairs",
]


@dataclass(frozen=True, kw_only=True)
class CompareOptions:
    """Options of a comparison.

    ``same_event_threshold``: probability above which the verdict is "same event" (0.5: the
    classifier is trained with log-loss, so its probabilities are calibrated around it).
    ``conflict_min_probability``: below this same-event probability no conflicts between the
    reports are reported (reports of different events tell different facts, not conflicting ones).
    ``accurate``: use the shipped model that also reads e5 embeddings of the headline and
    lead (better scores, about four times slower; see BENCHMARKS.md).
    ``model_path``: a pair model bundle other than the ones shipped in the package.
    ``max_sentence_pairs``: the largest sentences-of-A × sentences-of-B compared; the
    similarity matrices take ~25 bytes a pair (40 million: ~1 GB, two texts of ~6,300
    sentences, where a news report has tens to hundreds). Larger pairs raise InputError
    rather than exhaust memory.
    """

    same_event_threshold: float = 0.5
    conflict_min_probability: float = 0.2
    align: AlignOptions = field(default_factory=AlignOptions)
    accurate: bool = False
    model_path: Path | None = None
    max_sentence_pairs: int = 40_000_000

    def __post_init__(self) -> None:
        for name in ("same_event_threshold", "conflict_min_probability"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise OptionsError(f"{name} is a probability between 0 and 1, got {value!r}")
        pairs = self.max_sentence_pairs
        if isinstance(pairs, bool) or not isinstance(pairs, int) or pairs < 1:
            raise OptionsError(f"max_sentence_pairs must be a whole number ≥ 1, got {pairs!r}")

    def model(self) -> PairModel:
        if self.model_path is not None:
            return _model_at(self.model_path)
        return default_model(self.accurate)


@lru_cache(maxsize=4)
def _model_at(path: Path) -> PairModel:
    return PairModel.load(path)


def score_pairs(
    pairs: Sequence[tuple[Analysis, Analysis]], options: CompareOptions | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Scores (n x 7, DIMENSIONS order) and same-event probabilities of analysed pairs."""
    options = options or CompareOptions()
    if not pairs:
        return np.zeros((0, len(DIMENSIONS))), np.zeros(0)
    model = options.model()
    if model.uses_e5:
        pairs = [(with_e5(a), with_e5(b)) for a, b in pairs]
    return model.predict(model.columns([pair_features(a, b) for a, b in pairs]))


def compare_analyses(a: Analysis, b: Analysis, options: CompareOptions | None = None) -> Comparison:
    """Compare two analysed articles.

    The result does not depend on the order: ``compare_analyses(b, a)`` is the mirror of
    ``compare_analyses(a, b)`` (the same scores; alignment, only-A/only-B and conflicts
    swapped), because the pair is always worked out in one canonical order (greedy alignment
    and float sums are not symmetric on their own) and swapped back when needed.
    """
    options = options or CompareOptions()
    pairs = len(a.sentences) * len(b.sentences)
    if pairs > options.max_sentence_pairs:
        raise InputError(
            f"{a.article.source} and {b.article.source}",
            f"{len(a.sentences):,} × {len(b.sentences):,} sentences is more than the "
            f"{options.max_sentence_pairs:,} sentence pairs a comparison holds in memory; "
            "compare shorter texts (or raise CompareOptions.max_sentence_pairs)",
        )
    model = options.model()
    if model.uses_e5:
        a, b = with_e5(a), with_e5(b)
    swapped = _order_key(b) < _order_key(a)
    first, second = (b, a) if swapped else (a, b)
    similarity = sentence_similarity(first, second)
    features = pair_features(first, second, similarity)
    predicted, probability = model.predict(model.columns([features]))
    scores = Scores(**{d: float(predicted[0, k]) for k, d in enumerate(DIMENSIONS)})
    same_event_probability = float(probability[0])
    weight = _one_report_weight(first, second)
    if weight > 0:
        # one text twice, cut or lightly edited is one report: the model saw almost no such
        # pairs (it scores an excerpt or a copy with one changed figure ~2), so its scores
        # are drawn towards 1 by how much of the text is word for word the same
        scores = Scores(**{
            d: 1.0 + (getattr(scores, d) - 1.0) * (1.0 - weight) for d in DIMENSIONS
        })  # fmt: skip
        same_event_probability = 1.0 - (1.0 - same_event_probability) * (1.0 - weight)
    alignment, only_first, only_second = align(first, second, similarity, options.align)
    conflicts, inconsistencies = find_conflicts(first, second, alignment)
    if same_event_probability < options.conflict_min_probability:
        # two reports of different events do not disagree about facts: they tell other stories
        conflicts = []
    if swapped:
        alignment = sorted((_mirror_pair(p) for p in alignment), key=lambda p: (p.a, p.b))
        only_first, only_second = only_second, only_first
        conflicts = [_mirror_conflict(c) for c in conflicts]
        inconsistencies = sorted(
            (dataclasses.replace(i, doc="b" if i.doc == "a" else "a") for i in inconsistencies),
            key=lambda i: i.doc,
        )
    reasons, evidence = explain(a, b, scores, features, alignment, conflicts)
    return Comparison(
        a=DocumentSummary.of(a),
        b=DocumentSummary.of(b),
        same_event=same_event_probability >= options.same_event_threshold,
        same_event_probability=same_event_probability,
        scores=scores,
        reasons=reasons,
        sentences_a=a.sentences,
        sentences_b=b.sentences,
        alignment=tuple(alignment),
        only_a=tuple(only_first),
        only_b=tuple(only_second),
        conflicts=tuple(conflicts),
        inconsistencies=tuple(inconsistencies),
        evidence=evidence,
        model_version=model.version,
        same_event_threshold=options.same_event_threshold,
    )


def _order_key(analysis: Analysis) -> tuple[str, ...]:
    return _article_key(analysis.article, analysis.lang)


def _article_key(article: Article, lang: str | None = None) -> tuple[str, ...]:
    published = article.published.isoformat() if article.published else ""
    return (article.id, article.title, lang or article.lang or "", published)


def _one_report_weight(a: Analysis, b: Analysis) -> float:
    """How surely two analyses are one report, 0..1: 1 for the same sentences (headline
    included) whatever the url or date says, and for a copy cut short; between, for a copy
    whose words are nearly all the other's, in order (see :func:`version_share`), rising
    from 0 at ``VERSION_SHARE`` to 1 when every word is shared."""
    if a.sentences == b.sentences:
        return 1.0
    short = a if len(a.sentences) <= len(b.sentences) else b
    share = version_share(a.sentences, b.sentences, _headline_length(short))
    if share is None or share < VERSION_SHARE:
        return 0.0
    return (share - VERSION_SHARE) / (1.0 - VERSION_SHARE)


EXCERPT_MIN_SENTENCES = 3
# below this share of the shorter text's words given in order by the longer, the model
# alone scores the pair (two reports that share boilerplate or quotes are not one)
VERSION_SHARE = 0.9


def _headline_length(analysis: Analysis) -> int:
    """How many of the analysis's sentences its headline (the text's first line) makes."""
    lines = re.split(r"\n+", analysis.article.full_text.strip())
    return max(1, len(split_sentences(lines[0])))


def version_share(a: Sequence[str], b: Sequence[str], headline: int = 1) -> float | None:
    """Share of the words of the shorter text after its headline that the longer text gives
    in the same order, when the two are versions of one report; ``None`` when they are not.

    Versions open with the same headline (the shorter's first ``headline`` sentences), or
    one lightly edited (``HEADLINE_EDIT``: "Jonson" for "Johnson", "rises to 130" for "to
    120"), and share at least ``EXCERPT_MIN_SENTENCES - 1`` whole sentences after it. Words
    are matched in order (``difflib``), so a syndicated copy trimmed to fit, even
    mid-sentence, scores 1.0; an update that edits a figure, a name or a phrase in several sentences keeps nearly
    all its words (five of 34 sentences edited: ~0.97; before the sixteenth session whole
    sentences were counted, 29/34); words the longer text adds do not lower the share (an
    update that adds paragraphs is still the report).
    """
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if (
        list(short[:headline]) != list(long[:headline])
        and _word_share(" ".join(short[:headline]).split(), " ".join(long[:headline]).split())
        < HEADLINE_EDIT
    ):
        return None
    known = set(long)
    body = short[headline:]
    if sum(sentence in known for sentence in body) < EXCERPT_MIN_SENTENCES - 1:
        return None
    words, other = " ".join(body).split(), " ".join(long[headline:]).split()
    if words and words[-1] not in other and any(w.startswith(words[-1]) for w in other):
        words = words[:-1]  # a copy cut mid-word: its last word is the start of one
    return _word_share(words, other)


# an edited headline still opens the same report when this share of its words stays
HEADLINE_EDIT = 0.8


def _word_share(words: list[str], other: list[str]) -> float:
    """Share of ``words`` that ``other`` gives in the same order."""
    import difflib

    matcher = difflib.SequenceMatcher(None, words, other, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(1, len(words))


def _mirror_pair(pair: AlignedPair) -> AlignedPair:
    return dataclasses.replace(
        pair, a=pair.b, b=pair.a, adds=pair.removes, removes=pair.adds,
        adds_spans=pair.removes_spans, removes_spans=pair.adds_spans,
    )  # fmt: skip


def _mirror_conflict(conflict: Conflict) -> Conflict:
    return dataclasses.replace(
        conflict, a=conflict.b, b=conflict.a,
        a_sentence=conflict.b_sentence, b_sentence=conflict.a_sentence,
        a_span=conflict.b_span, b_span=conflict.a_span,
    )  # fmt: skip


def compare(
    a: Article | Analysis | str | Path,
    b: Article | Analysis | str | Path,
    options: CompareOptions | None = None,
) -> Comparison:
    """Compare two reports given as Articles, Analyses, paths or texts."""
    from ..read import read

    options = options or CompareOptions()
    sides: list[Analysis | Article] = [
        x if isinstance(x, Analysis | Article) else read(x) for x in (a, b)
    ]
    to_analyze = [x for x in sides if isinstance(x, Article)]
    # analysed in one canonical order: compare(b, a) then embeds the very batch compare(a, b)
    # does (a batch's float sums depend on its order in the last bits)
    order = sorted(range(len(to_analyze)), key=lambda i: _article_key(to_analyze[i]))
    e5 = options.model().uses_e5
    done = analyze_many([to_analyze[i] for i in order], e5=e5) if to_analyze else []
    by_position = {i: analysis for i, analysis in zip(order, done, strict=True)}
    analysed = iter(by_position[i] for i in range(len(to_analyze)))
    left, right = (x if isinstance(x, Analysis) else next(analysed) for x in sides)
    return compare_analyses(left, right, options)


from .._callable import make_module_callable  # noqa: E402

make_module_callable(__name__, compare)
