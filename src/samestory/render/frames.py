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


# The columns of each frame and their kinds: "int" and "float" columns are int64 and float64,
# "text" columns hold strings (None where missing), "list" columns hold Python lists.
ALIGNMENT_COLUMNS = {"a": "int", "b": "int", "similarity": "float", "sentence_a": "text",
                     "sentence_b": "text", "adds": "list", "removes": "list"}  # fmt: skip
SCORE_COLUMNS = {"dimension": "text", "score": "float", "reason": "text"}
CONFLICT_COLUMNS = {"kind": "text", "a": "text", "b": "text", "a_sentence": "int",
                    "b_sentence": "int", "reason": "text"}  # fmt: skip
TIMELINE_COLUMNS = {"kind": "text", "text": "text", "first_reported_by": "text",
                    "contradicted_by": "list", "reports": "int"}  # fmt: skip
MEMBER_COLUMNS = {"id": "text", "published": "text", "lang": "text", "source": "text",
                  "url": "text", "near_duplicate_group": "text", "title": "text"}  # fmt: skip


def _frame(pandas: Any, rows: list[dict[str, Any]], columns: dict[str, str]) -> pd.DataFrame:
    """``rows`` as a DataFrame whose columns have the same dtypes with rows or without: an
    empty frame would otherwise have only object columns, which ``pd.concat`` and arithmetic
    treat differently."""
    frame = pandas.DataFrame(rows, columns=list(columns))
    numbers = {"int": "int64", "float": "float64"}
    if rows:
        return frame.astype({c: numbers[k] for c, k in columns.items() if k in numbers})
    text = pandas.Series(["text"]).dtype  # object, or the string dtype where pandas infers one
    kinds = {**numbers, "text": text, "list": "object"}
    return frame.astype({c: kinds[k] for c, k in columns.items()})


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
        return _frame(pandas, rows, SCORE_COLUMNS).set_index("dimension")
    if part == "conflicts":
        return _frame(pandas, [c.to_dict() for c in comparison.conflicts], CONFLICT_COLUMNS)
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
    return _frame(pandas, rows, ALIGNMENT_COLUMNS)


def story_frame(detail: StoryDetail, part: str = "members") -> pd.DataFrame:
    """One row per member (oldest first, indexed by article id) or per fact of the timeline."""
    _check(part, STORY_PARTS, "StoryDetail")
    pandas = _pandas()
    if part == "timeline":
        rows = [
            {
                "kind": f.kind,
                "text": f.text,
                "first_reported_by": f.first_reported_by,
                "contradicted_by": [{"article": a, "says": s} for a, s in f.contradicted_by],
                "reports": f.reports,
            }
            for f in detail.timeline
        ]
        return _frame(pandas, rows, TIMELINE_COLUMNS)
    members = [m.to_dict() for m in detail.members]
    return _frame(pandas, members, MEMBER_COLUMNS).set_index("id")
