"""Rich tables: the reports of ``samestory train`` and ``samestory eval similarity``, and lists.

The reports take the dicts their commands return (the same dicts ``--json`` prints) and
tolerate missing parts: a report without baselines or languages just shows fewer columns.
``list_table`` lays out rows of strings, leaving out columns that are empty in every row.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..compare.comparison import DIMENSIONS

# Published state of the art on the SemEval-2022 Task 8 test set (Overall), for orientation.
STATE_OF_THE_ART_OVERALL = 0.818


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def list_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    no_wrap: Collection[str] = (),
) -> Table:
    """A table of ``rows`` without the columns that are empty in every row.

    ``no_wrap``: columns never folded (ids that are copied into other commands). Cells are
    plain text: brackets in a title are printed, never read as rich markup.
    """
    kept = [i for i in range(len(columns)) if not rows or any(row[i] for row in rows)]
    table = Table(title=title)
    for i in kept:
        table.add_column(columns[i], overflow="fold", no_wrap=columns[i] in no_wrap)
    for row in rows:
        table.add_row(*(Text(row[i]) for i in kept))
    return table


BASELINE_TITLES = {
    "embedding_cosine": "embedding cosine",
    "lexical_head": "lexical head",
}


def print_training_report(report: Mapping[str, Any], console: Console | None = None) -> None:
    """Cross-validated Pearson of the model beside its baselines, per dimension and language."""
    console = console or Console()
    model = report.get("model", {})
    baselines: Mapping[str, Any] = report.get("baselines", {})
    console.print(
        _facts(
            "Pair model: grouped cross-validation",
            pairs=report.get("pairs"),
            skipped=report.get("skipped"),
            folds=report.get("folds"),
            seed=report.get("seed"),
            version=report.get("model_version"),
            saved=report.get("model_file"),
        )
    )
    columns = {"model": model.get("pearson", {})}
    columns.update({BASELINE_TITLES.get(k, k): v.get("pearson", {}) for k, v in baselines.items()})
    console.print()
    console.print(_pearson_table(columns, highlight_best=True))
    by_language = {"model": model.get("by_language", {})}
    by_language.update(
        {
            BASELINE_TITLES.get(k, k): v["by_language"]
            for k, v in baselines.items()
            if v.get("by_language")
        }
    )
    if by_language["model"]:
        console.print()
        console.print(_language_table(by_language))


def print_similarity_report(report: Mapping[str, Any], console: Console | None = None) -> None:
    """Pearson of the shipped model on a pairs file, per dimension and per language pair."""
    console = console or Console()
    seconds = report.get("seconds_per_pair")
    console.print(
        _facts(
            "Similarity evaluation",
            pairs=report.get("pairs"),
            skipped=report.get("skipped"),
            seconds_per_pair=None if seconds is None else f"{seconds:.3f}",
            model=report.get("model_version"),
        )
    )
    console.print()
    console.print(_pearson_table({"Pearson": report.get("pearson", {})}, highlight_best=False))
    if report.get("by_language"):
        console.print()
        console.print(_language_table({"Pearson": report["by_language"]}))


def _facts(title: str, **facts: Any) -> Text:
    line = Text(title, style="bold")
    shown = [
        f"{name.replace('_', ' ')} {value}" for name, value in facts.items() if value is not None
    ]
    if shown:
        line.append("  " + " · ".join(shown), style="dim")
    return line


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _cell(value: Any, bold: bool = False) -> Text:
    number = _number(value)
    if number is None:
        return Text("—", style="dim")
    return Text(f"{number:.3f}", style="bold green" if bold else "")


def _pearson_table(columns: Mapping[str, Mapping[str, Any]], highlight_best: bool) -> Group:
    """One row per dimension, one column per system; the best system per row in bold."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Dimension", style="bold", no_wrap=True)
    for name in columns:
        table.add_column(name, justify="right", no_wrap=True)
    first = next(iter(columns))
    compare_to = "embedding cosine" if "embedding cosine" in columns else None
    if highlight_best and compare_to:
        table.add_column("Δ vs cosine", justify="right", no_wrap=True)
    for dimension in DIMENSIONS:
        values = [_number(pearson.get(dimension)) for pearson in columns.values()]
        present = [v for v in values if v is not None]
        best = max(present) if present and highlight_best and len(present) > 1 else None
        row: list[Text] = [Text(dimension.capitalize())]
        row += [_cell(v, bold=best is not None and v == best) for v in values]
        if highlight_best and compare_to:
            ours, theirs = (
                _number(columns[first].get(dimension)),
                _number(columns[compare_to].get(dimension)),
            )
            if ours is None or theirs is None:
                row.append(Text("—", style="dim"))
            else:
                delta = ours - theirs
                row.append(Text(f"{delta:+.3f}", style="green" if delta > 0 else "red"))
        table.add_row(*row)
    notes = []
    overall = _number(columns[first].get("overall"))
    if overall is not None:
        notes.append(
            Text(
                f"Overall {overall:.3f}; for orientation, the published state of the art is "
                f"{STATE_OF_THE_ART_OVERALL:.3f} (SemEval-2022 Task 8 test set, XLM-R large "
                "cross-encoder). The shipped models were trained on all of "
                "shared/data/sts22/pairs.csv: on those pairs these are training-set figures; "
                "BENCHMARKS.md has the cross-validated ones.",
                style="dim",
            )
        )
    return Group(Text("Pearson per dimension (higher is better)", style="bold"), table, *notes)


def _language_table(columns: Mapping[str, Mapping[str, Any]]) -> Group:
    """Overall Pearson per language pair, with the number of pairs it rests on."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Languages", style="bold", no_wrap=True)
    table.add_column("Pairs", justify="right", no_wrap=True)
    for name in columns:
        table.add_column(name, justify="right", no_wrap=True)
    first = next(iter(columns.values()))
    ordered = sorted(first, key=lambda pair: (-int(first[pair].get("pairs", 0) or 0), pair))
    for pair in ordered:
        count = first[pair].get("pairs")
        cells = [_cell(column.get(pair, {}).get("overall")) for column in columns.values()]
        # Few pairs make a Pearson coefficient noisy: say so instead of hiding the row.
        if isinstance(count, int) and count < 30:
            cells = [Text(c.plain + " *", style="dim") if c.plain != "—" else c for c in cells]
        table.add_row(pair, str(count if count is not None else "—"), *cells)
    notes = []
    if any(isinstance(v.get("pairs"), int) and v["pairs"] < 30 for v in first.values()):
        notes.append(Text("* fewer than 30 pairs: a rough figure", style="dim"))
    return Group(Text("Overall Pearson per language pair", style="bold"), table, *notes)
