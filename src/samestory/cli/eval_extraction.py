"""``samestory eval extraction``: main-text extraction, samestory vs trafilatura's defaults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ._common import check_html_method, check_range, print_skipped, user_errors


def _print_table(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    left_out = f", {report['skipped']} skipped" if report.get("skipped") else ""
    table = Table(title=f"{report['benchmark']} — {report['pages']} pages{left_out}")
    for column in ("extractor", "precision", "recall", "F1", "pages/s", "failures"):
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for name in ("samestory", "trafilatura"):
        row = report[name]
        table.add_row(
            name, f"{row['precision']:.4f}", f"{row['recall']:.4f}", f"{row['f1']:.4f}",
            f"{row['pages_per_second']:.1f}", str(row["failures"]),
        )  # fmt: skip
    Console().print(table)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("extraction")
    def extraction(
        directory: Annotated[
            Path,
            typer.Argument(
                help="Benchmark folder: html/ID.html.gz + ground-truth.json (ScrapingHub) or "
                "html/NNNN.html.gz + ground-truth/NNNN.json (WCXB)."
            ),
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        limit: Annotated[
            int | None, typer.Option("--limit", help="Score only the first N pages (by id).")
        ] = None,
        method: Annotated[
            str,
            typer.Option(
                "--method", help="samestory's HTML method: trafilatura, precise or blocks."
            ),
        ] = "trafilatura",
    ) -> None:
        """Token-level precision, recall, F1 and pages/s of samestory and trafilatura."""
        from ..eval.extraction import evaluate_extraction
        from ..render.progress import progress_bar

        check_range("--limit", limit, 1)
        check_html_method(method, "--method")
        with user_errors():
            report = evaluate_extraction(
                directory, limit=limit, method=method, progress=progress_bar
            )
        report["method"] = method
        print_skipped(report["skipped_pages"])
        if as_json:
            typer.echo(json.dumps(report, indent=2))
        else:
            _print_table(report)
