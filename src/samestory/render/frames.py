"""pandas DataFrames of a Comparison and of a story, for notebooks (``to_frame()``).

pandas is imported only here, and only when a frame is asked for: it is an optional
dependency (``pip install 'samestory[notebook]'``), never needed by the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import MissingDependencyError, OptionsError

if TYPE_CHECKING:
    import pandas as pd

    from ..cluster.story import StoryDetail
    from ..compare.comparison import Comparison

COMPARISON_PARTS = ("alignment", "scores", "conflicts")
STORY_PARTS = ("members", "timeline")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingDependencyError("pandas", "notebook") from None
    return pandas


def _check(part: str, parts: tuple[str, ...], owner: str) -> None:
    if part not in parts:
        raise OptionsError(
            f"{owner}.to_frame: unknown part {part!r}; use one of {', '.join(parts)}"
        )


def comparison_frame(comparison: Comparison, part: str = "alignment") -> pd.DataFrame:
    """One row per aligned sentence pair, per score dimension, or per conflict."""
    _check(part, COMPARISON_PARTS, "Comparison")
    pandas = _pandas()
    if part == "scores":
        from ..compare.comparison import DIMENSIONS

        rows: list[dict[str, Any]] = [
            {
                "dimension": name,
                "score": float(getattr(comparison.scores, name)),
                "reason": comparison.reasons.get(name, ""),
            }
            for name in DIMENSIONS
        ]
        return pandas.DataFrame(rows, columns=["dimension", "score", "reason"]).set_index(
            "dimension"
        )
    if part == "conflicts":
        columns = ["kind", "a", "b", "a_sentence", "b_sentence", "reason"]
        return pandas.DataFrame([c.to_dict() for c in comparison.conflicts], columns=columns)
    columns = ["a", "b", "similarity", "sentence_a", "sentence_b", "adds", "removes"]
    rows = [
        {
            "a": pair.a,
            "b": pair.b,
            "similarity": float(pair.similarity),
            "sentence_a": comparison.sentences_a[pair.a],
            "sentence_b": comparison.sentences_b[pair.b],
            "adds": list(pair.adds),
            "removes": list(pair.removes),
        }
        for pair in comparison.alignment
    ]
    return pandas.DataFrame(rows, columns=columns)


def story_frame(detail: StoryDetail, part: str = "members") -> pd.DataFrame:
    """One row per member (oldest first, indexed by article id) or per fact of the timeline."""
    _check(part, STORY_PARTS, "StoryDetail")
    pandas = _pandas()
    if part == "timeline":
        columns = ["kind", "text", "first_reported_by", "contradicted_by"]
        rows = [
            {
                "kind": f.kind,
                "text": f.text,
                "first_reported_by": f.first_reported_by,
                "contradicted_by": [{"article": a, "says": s} for a, s in f.contradicted_by],
            }
            for f in detail.timeline
        ]
        return pandas.DataFrame(rows, columns=columns)
    columns = ["id", "published", "lang", "source", "url", "near_duplicate_group", "title"]
    frame = pandas.DataFrame([m.to_dict() for m in detail.members], columns=columns)
    return frame.set_index("id")
