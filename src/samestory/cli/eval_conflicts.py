"""``samestory eval conflicts``: recall of changed facts and false alarms on article versions."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ._common import print_skipped, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("conflicts")
    def conflicts(
        items: Path = typer.Argument(
            ...,
            help='JSONL items {"id", "lang", "kind", "a", "b", "a_value", "b_value"} '
            "(kind none for controls), e.g. benchmarks/conflicts/test.jsonl.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object (with misses)."),
    ) -> None:
        """Recall per kind, share of controls with a conflict, extra conflicts per item, time."""
        from ..eval.conflicts import evaluate_conflicts
        from ..render.progress import progress_bar

        with user_errors():
            report = evaluate_conflicts(items, progress=progress_bar)
        print_skipped(report["skipped_items"])
        if as_json:
            typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
            return
        _print_report(report)


def _print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    left_out = f", {report['skipped']} skipped" if report["skipped"] else ""
    table = Table(title=f"Conflicts on {report['file']} ({report['items']} items{left_out})")
    table.add_column("kind")
    table.add_column("recall", justify="right")
    table.add_column("hits / items", justify="right")
    for kind, recall in report["recall"].items():
        counts = report["counts"][kind]
        table.add_row(kind, f"{recall:.3f}", f"{counts['hits']} / {counts['items']}")
    console = Console()
    console.print(table)
    share = report["controls_with_conflict"]
    if share is not None:
        console.print(
            f"controls with a conflict: {share:.1%} of {report['counts']['none']['items']}"
        )
    console.print(f"extra conflicts per item: {report['extra_conflicts_per_item']:.3f}")
    console.print(f"hits with the right kind: {report['kind_correct']:.1%}")
    timing = report["ms_per_pair"]
    console.print(
        f"time per pair: analysis {timing['analysis']:.0f} ms, "
        f"alignment and conflicts {timing['alignment_and_conflicts']:.1f} ms"
    )
