"""``samestory eval similarity``: Pearson of the shipped model on a SemEval-2022 Task 8 pairs CSV."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ._common import check_output, fail, print_skipped, same_file, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("similarity")
    def similarity(
        pairs: Path = typer.Argument(
            ..., help="Pairs CSV with the columns of shared/data/sts22/pairs.csv."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        accurate: bool = typer.Option(
            False, "--accurate", help="Score with the accurate model (e5 headline and lead)."
        ),
        predictions: Path = typer.Option(
            None, "--predictions", help="Also write the predicted scores per pair to this CSV."
        ),
    ) -> None:
        """Score every pair with the shipped model; Pearson per dimension and language pair."""
        from ..compare import CompareOptions
        from ..eval.similarity import evaluate_similarity
        from ..render.progress import progress_bar

        check_output(predictions, "--predictions")
        if predictions is not None and same_file(predictions, pairs):
            fail(f"--predictions {predictions}: is the pairs file being scored; give another file")
        with user_errors():
            report = evaluate_similarity(
                pairs,
                options=CompareOptions(accurate=accurate),
                predictions_csv=predictions,
                progress=progress_bar,
            )
        print_skipped(report["skipped_rows"])
        if as_json:
            typer.echo(json.dumps(report, indent=2))
        else:
            from ..render.tables import print_similarity_report

            print_similarity_report(report)
