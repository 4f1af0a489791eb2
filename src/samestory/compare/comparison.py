"""The Comparison of two articles and its parts, as typed dataclasses with a stable JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..article import cut_at_word

if TYPE_CHECKING:
    import pandas as pd

    from ..analyze import Analysis

DIMENSIONS = ("geography", "entities", "time", "narrative", "overall", "style", "tone")

# Where a value stands in its sentence: ``sentence[start:end]`` (Python string offsets, in code
# points). The value itself may be normalised ("M Biden" for "M. Biden"); the span is the text.
Span = tuple[int, int]


def span_list(span: Span | None) -> list[int] | None:
    """A span as JSON writes it: ``[start, end]``, or null when unknown."""
    return None if span is None else [int(span[0]), int(span[1])]


@dataclass(frozen=True, kw_only=True)
class Scores:
    """SemEval-2022 Task 8 scores: 1 = very similar .. 4 = very dissimilar."""

    geography: float
    entities: float
    time: float
    narrative: float
    overall: float
    style: float
    tone: float

    def to_dict(self) -> dict[str, float]:
        return {name: round(float(getattr(self, name)), 3) for name in DIMENSIONS}


@dataclass(frozen=True, kw_only=True)
class DocumentSummary:
    """What a report shows about one side: headline, language, size, dropped boilerplate."""

    title: str
    lang: str
    chars: int
    dropped: tuple[str, ...]
    source: str | None = None
    published: str | None = None
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["dropped"] = list(self.dropped)
        return data

    @classmethod
    def of(cls, analysis: Analysis) -> DocumentSummary:
        """The summary of an analysed article (the headline falls back to its first sentence)."""
        article = analysis.article
        return cls(
            title=article.title or cut_at_word(analysis.sentences[0], 200),
            lang=analysis.lang,
            chars=len(article.text),
            dropped=article.dropped,
            source=article.source,
            published=article.published.isoformat() if article.published else None,
            id=article.id,
        )


@dataclass(frozen=True, kw_only=True)
class AlignedPair:
    """Sentence ``a`` of A and sentence ``b`` of B report the same thing.

    ``adds`` lists facts (names, numbers, places, dates) that B's sentence gives and A's does
    not, and ``removes`` the reverse: a restatement with more detail is aligned, not a conflict.
    ``adds_spans[k]`` is where ``adds[k]`` stands in B's sentence, ``removes_spans[k]`` where
    ``removes[k]`` stands in A's; empty when unknown (a pair built by hand).
    """

    a: int
    b: int
    similarity: float
    adds: tuple[str, ...] = ()
    removes: tuple[str, ...] = ()
    adds_spans: tuple[Span, ...] = ()
    removes_spans: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "similarity": round(float(self.similarity), 3),
            "adds": list(self.adds),
            "removes": list(self.removes),
            "adds_spans": [span_list(s) for s in self.adds_spans],
            "removes_spans": [span_list(s) for s in self.removes_spans],
        }


@dataclass(frozen=True, kw_only=True)
class Conflict:
    """A fact the two reports give differently: ``a`` as written in A, ``b`` as written in B.

    ``a_span`` is where ``a`` stands in sentence ``a_sentence`` of A (``b_span`` likewise in B),
    None when unknown (a conflict built by hand).
    """

    kind: str  # "name" | "number" | "date" | "place"
    a: str
    b: str
    a_sentence: int
    b_sentence: int
    reason: str = ""
    a_span: Span | None = None
    b_span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "a_sentence": self.a_sentence,
            "b_sentence": self.b_sentence,
            "reason": self.reason,
            "a_span": span_list(self.a_span),
            "b_span": span_list(self.b_span),
        }


@dataclass(frozen=True, kw_only=True)
class Inconsistency:
    """A fact one report gives two ways (``doc`` is "a" or "b").

    ``spans[k]`` is where ``values[k]`` stands in sentence ``sentences[k]``; None when unknown.
    """

    doc: str
    kind: str
    values: tuple[str, str]
    sentences: tuple[int, int]
    reason: str = ""
    spans: tuple[Span, Span] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "kind": self.kind,
            "values": list(self.values),
            "sentences": list(self.sentences),
            "reason": self.reason,
            "spans": None if self.spans is None else [span_list(s) for s in self.spans],
        }


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Everything samestory says about two reports.

    ``to_dict()`` is exactly the JSON that ``samestory compare --format json`` prints.
    """

    a: DocumentSummary
    b: DocumentSummary
    same_event: bool
    same_event_probability: float
    scores: Scores
    reasons: dict[str, str]
    sentences_a: tuple[str, ...]
    sentences_b: tuple[str, ...]
    alignment: tuple[AlignedPair, ...]
    only_a: tuple[int, ...]
    only_b: tuple[int, ...]
    conflicts: tuple[Conflict, ...]
    inconsistencies: tuple[Inconsistency, ...]
    evidence: dict[str, Any] = field(default_factory=dict)
    model_version: str = ""
    same_event_threshold: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "same_event": bool(self.same_event),
            "same_event_probability": round(float(self.same_event_probability), 4),
            "scores": self.scores.to_dict(),
            "reasons": dict(self.reasons),
            "sentences": {"a": list(self.sentences_a), "b": list(self.sentences_b)},
            "alignment": [pair.to_dict() for pair in self.alignment],
            "only_a": list(self.only_a),
            "only_b": list(self.only_b),
            "conflicts": [c.to_dict() for c in self.conflicts],
            "inconsistencies": [i.to_dict() for i in self.inconsistencies],
            "evidence": self.evidence,
            "model_version": self.model_version,
            "same_event_threshold": float(self.same_event_threshold),
        }

    def _repr_html_(self) -> str:
        from ..render.html import render_comparison_html

        return render_comparison_html(self, standalone=False)

    def to_frame(self, part: str = "alignment") -> pd.DataFrame:
        """A pandas DataFrame: ``"alignment"`` (one row per aligned sentence pair, with both
        sentences), ``"scores"`` (one row per dimension, with its reason) or ``"conflicts"``.

        Needs pandas (``pip install 'samestory[notebook]'``); raises
        :class:`~samestory.errors.MissingDependencyError` without it.
        """
        from ..render.frames import comparison_frame

        return comparison_frame(self, part)
