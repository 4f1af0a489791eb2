"""``samestory cluster --engine spark``: the story pipeline on Apache Spark."""

from __future__ import annotations

from pathlib import Path

DEFAULT_OUT = Path("samestory-spark")


def run_spark(
    inputs: list[str],
    *,
    out: Path | None,
    db: Path | None,
    master: str | None,
    threshold: float | None,
    window: int,
    probe_chars: int | None = None,
) -> None:
    """Cluster ``inputs`` on Spark and print a summary (errors as one line, exit 2)."""
    import time

    from rich.console import Console
    from rich.text import Text

    from ..cluster.core import PROBE_CHARS, ClusterOptions
    from ..cluster.spark import SparkOptions, cluster_with_spark
    from ._common import noun, plural, print_run_details, user_errors

    console = Console(stderr=True, soft_wrap=True)  # a log keeps each line whole
    out = out or DEFAULT_OUT
    started = time.perf_counter()
    with user_errors():
        options = ClusterOptions(
            threshold=threshold, window_days=window if window > 0 else None,
            probe_chars=probe_chars or PROBE_CHARS,
        )  # fmt: skip
        report = cluster_with_spark(
            inputs, out, options, spark_options=SparkOptions(master=master), db=db,
            progress=lambda stage: console.print(
                f"[dim]{time.perf_counter() - started:6.1f}s[/] spark: {stage}"
            ),
        )  # fmt: skip
    threshold_text = "-" if report.threshold is None else f"{report.threshold:.2f}"
    copies = report.copies_sharing_vectors
    console.print(
        f"[bold]{report.read}[/] read, [bold]{report.articles}[/] "
        f"{noun(report.articles, 'article')} "
        f"({plural(report.texts, 'text')} embedded, "
        f"{plural(copies, 'near-copy', 'near-copies')} took {noun(copies, 'its', 'their')} "
        f"group's vector), {plural(report.candidate_pairs, 'candidate pair')} "
        f"({report.pairs_per_article:.1f} per article, {plural(report.cells, 'bucket')}), "
        f"threshold {threshold_text}: [bold]{report.stories}[/] "
        f"{noun(report.stories, 'story', 'stories')}, "
        f"{plural(report.near_duplicate_groups, 'near-copy group')} (largest linked component: "
        f"{plural(report.largest_component, 'article')})."
    )
    where = f"{out}/articles, {out}/near_duplicates, {out}/stories (Parquet)"
    console.print(Text(f"wrote {where}" + (f" and the store {db}" if db else "")))
    print_run_details(
        console, report.seconds, report.model_checks, report.model_vetoes, report.model_note,
        report.skipped, report.model_unchecked,
    )  # fmt: skip
