"""``samestory train``: train the pair model on SemEval-2022 Task 8 pairs."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ._common import check_output, check_range, fail, same_file, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def train(
        pairs: Path = typer.Argument(
            ..., help="Pairs CSV with the columns of shared/data/sts22/pairs.csv."
        ),
        output: Path = typer.Option(
            None,
            "--output",
            "-o",
            help="Where to write the model bundle (default: the file shipped in the package).",
        ),
        folds: int = typer.Option(5, help="Folds of the grouped cross-validation."),
        seed: int = typer.Option(13, help="Random seed (folds and LightGBM)."),
        accurate: bool = typer.Option(
            False, "--accurate", help="Train the accurate model (adds e5 headline/lead features)."
        ),
        kernel_heads: bool = typer.Option(
            True,
            "--kernel-heads/--no-kernel-heads",
            help="Average RBF support-vector heads with the LightGBM heads (stage 1).",
        ),
        cache_dir: Path = typer.Option(Path(".cache"), help="Where analysed features are cached."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
    ) -> None:
        """Cross-validate and train the pair model (fixed seed, reproducible)."""
        from ..compare.training import TrainOptions
        from ..compare.training import train as train_model
        from ..render.progress import progress_bar
        from ..render.tables import print_training_report

        check_range("--folds", folds, 2)
        check_output(output)
        if output is not None and same_file(output, pairs):
            fail(f"-o {output}: is the pairs file being read; give another file for the model")
        if output is None:
            from importlib import resources

            from ..compare.model import ACCURATE_MODEL_FILE, MODEL_FILE

            name = ACCURATE_MODEL_FILE if accurate else MODEL_FILE
            output = Path(str(resources.files("samestory.compare").joinpath(name)))
        with user_errors():
            report = train_model(
                pairs, options=TrainOptions(folds=folds, seed=seed, accurate=accurate, kernel_heads=kernel_heads),
                output=output,
                cache_dir=cache_dir, progress=progress_bar,
            )  # fmt: skip
        if as_json:
            typer.echo(json.dumps(report, indent=2))
        else:
            print_training_report(report)
