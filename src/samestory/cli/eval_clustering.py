"""``samestory eval clustering``: GoogleNews-T/S/TS and WikiRef, batch or incremental."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ._common import check_range, fail, print_skipped, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("clustering")
    def eval_clustering(
        path: Annotated[
            Path,
            typer.Argument(
                help="A GoogleNews .tsv (label<TAB>text), a WikiRef folder, or a folder of them."
            ),
        ],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print one JSON object per data set.")
        ] = False,
        incremental: Annotated[
            bool, typer.Option("--incremental", help="Feed the items in chunks to partial_fit.")
        ] = False,
        chunks: Annotated[int, typer.Option(help="Number of chunks for --incremental.")] = 10,
        k: Annotated[
            int | None,
            typer.Option("--k", help="Stop at this many clusters (as methods given the truth)."),
        ] = None,
        threshold: Annotated[
            float | None,
            typer.Option(help="Fixed similarity threshold (default: chosen without labels)."),
        ] = None,
        cache_dir: Annotated[
            Path | None, typer.Option(help="Keep text embeddings here between runs.")
        ] = None,
        probe_chars: Annotated[
            int,
            typer.Option(
                min=50, help="Body characters embedded with each headline (fewer: faster)."
            ),
        ] = 512,
    ) -> None:
        """Cluster a labelled benchmark and report ACC, NMI, ARI and B-cubed P/R/F1."""
        from ..eval.clustering import datasets_under, evaluate

        check_range("--chunks", chunks, 1)
        check_range("--k", k, 1)
        check_range("--threshold", threshold, -1.0, 1.0)
        if cache_dir is not None and cache_dir.exists() and not cache_dir.is_dir():
            fail(f"--cache-dir {cache_dir}: is a file; give a folder")
        from ..errors import InputError

        failed: list[str] = []
        with user_errors():
            datasets = datasets_under(path)
            for dataset in datasets:
                try:
                    result = evaluate(
                        dataset, incremental=incremental, chunks=chunks, n_clusters=k,
                        threshold=threshold, cache_dir=cache_dir, probe_chars=probe_chars,
                    )  # fmt: skip
                except InputError as error:
                    if len(datasets) == 1:
                        raise
                    failed.append(str(error))  # one bad data set does not stop the others
                    typer.echo(f"samestory: skipped {error}", err=True)
                    continue
                data = result.to_dict()
                print_skipped(result.skipped)
                if as_json:
                    typer.echo(json.dumps(data))
                else:
                    typer.echo(
                        f"{data['dataset']} ({data['mode']}): {data['items']} items, "
                        f"{data['clusters']} clusters (truth {data['classes']}); "
                        f"ACC {data['acc']:.3f} NMI {data['nmi']:.3f} ARI {data['ari']:.3f} "
                        f"B3 P/R/F1 {data['bcubed_precision']:.3f}/{data['bcubed_recall']:.3f}/"
                        f"{data['bcubed_f1']:.3f}  {data['seconds']:.1f}s"
                    )
        if failed and len(failed) == len(datasets):
            fail(f"{path}: none of its {len(datasets)} data sets could be read")
