"""``samestory cluster``, ``add``, ``stories`` and ``story``: stories in a SQLite store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    FieldOption,
    HtmlMethodOption,
    MaxSizeOption,
    check_db,
    check_html_method,
    check_range,
    fail,
    noun,
    plural,
    print_run_details,
    print_skipped,
    read_fields,
    stdout_console,
    user_errors,
)

if TYPE_CHECKING:
    from ..article import Article
    from ..cluster.pipeline import ClusterReport
    from ..read import ReadOptions

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store (default samestory.db).")]
InputsArgument = Annotated[
    list[str], typer.Argument(help="Files, folders, JSONL/WARC dumps, or - for stdin.")
]
WindowOption = Annotated[
    int,
    typer.Option(
        help="Never link articles published more than this many days apart (0: no limit)."
    ),
]
ProbeOption = Annotated[
    int | None,
    typer.Option(
        "--probe-chars",
        min=50,
        help="Body characters embedded with each headline (default: what the store's stories "
        "were grouped with, else 512; shorter is faster, see BENCHMARKS.md). Another value "
        "than the store's embeds every article again and regroups them; story ids are kept.",
    ),
]
DEFAULT_DB = Path("samestory.db")


def _read_inputs(
    inputs: list[str], skipped: list[str], read_options: ReadOptions
) -> Iterator[Article]:
    """Articles from files, folders, JSONL, WARC (via ``read_many``); bad items are skipped."""
    from ..read import read_many

    stream = read_many(inputs, options=read_options)
    yield from stream
    skipped.extend(str(s) for s in stream.skipped)


def _say_waiting(db: Path) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(
        f"another samestory process is writing to {escape(str(db))}; waiting for it to finish "
        "(Ctrl-C is safe: this run has not changed the store yet)"
    )


def _print_report(report: ClusterReport, db: Path) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, soft_wrap=True)  # a log keeps each line whole
    threshold = "-" if report.threshold is None else f"{report.threshold:.2f}"
    copies = report.copies_sharing_vectors
    regrouped = report.regrouped and report.new_articles < report.articles
    # after a full grouping the new stories and merges are the whole store's, not the
    # newcomers' doing: say so before counting them
    outcome = (
        f"all {report.articles} articles were grouped afresh, as they are while a store is "
        f"small and each time it grows by a tenth (threshold {threshold}): "
        if regrouped
        else f"{report.linked} linked (threshold {threshold}): "
    )
    console.print(
        f"[bold]{report.read}[/] read, [bold]{report.new_articles}[/] new, "
        f"{report.embedded} embedded "
        f"({plural(copies, 'near-copy', 'near-copies')} took "
        f"{noun(copies, 'its', 'their')} original's vector); {outcome}"
        f"[bold]{report.new_stories}[/] new {noun(report.new_stories, 'story', 'stories')}, "
        f"{plural(report.merges, 'merge')}"
        + (f", {plural(report.moved, 'article')} moved to another story" if regrouped else "")
        + f"; {escape(str(db))} now holds "
        f"{plural(report.articles, 'article')} in [bold]{report.stories}[/] "
        f"{noun(report.stories, 'story', 'stories')}, "
        f"{plural(report.near_duplicate_groups, 'near-copy group')}."
    )
    if regrouped:
        console.print("Story ids are kept; absorbed ones resolve to their successor.")
    print_run_details(
        console, report.seconds, report.model_checks, report.model_vetoes, report.model_note,
        report.skipped, report.model_unchecked,
    )  # fmt: skip


def _run(
    inputs: list[str],
    db: Path,
    threshold: float | None,
    window: int,
    incremental: bool,
    probe_chars: int | None = None,
    html_method: str = "trafilatura",
    field: list[str] | None = None,
    max_size: float = 10.0,
) -> None:
    from ..cluster.core import ClusterOptions
    from ..cluster.pipeline import cluster_articles, probe_chars_for
    from ..read import ReadOptions
    from ..render.progress import progress_bar
    from ..store import open_store

    check_range("--threshold", threshold, -1.0, 1.0)
    check_range("--window", window, 0)
    check_db(db)
    check_html_method(html_method)
    check_range("--max-size", max_size, 0.001)
    read_options = ReadOptions(
        html_method=html_method, fields=read_fields(field), max_bytes=int(max_size * 1_000_000)
    )
    if incremental and not db.exists():
        fail(f"no store at {db}; build one first with `samestory cluster INPUT --db {db}`")
    created = not db.exists()
    with user_errors(), open_store(db) as store:
        if incremental and store.story_count() == 0:
            fail(f"{db} has no stories yet; build them with `samestory cluster INPUT --db {db}`")
        options = ClusterOptions(
            threshold=threshold, window_days=window if window > 0 else None,
            probe_chars=probe_chars_for(store, probe_chars),
        )  # fmt: skip
        skipped: list[str] = []
        report = cluster_articles(
            store, _read_inputs(inputs, skipped, read_options), options, progress=progress_bar,
            on_wait=lambda: _say_waiting(db),
        )  # fmt: skip
        report.skipped = skipped
    if report.read:
        _print_report(report, db)
    else:  # no summary of a store that is about to be removed: what was skipped, and why
        print_skipped(report.skipped)
        if created:  # leave no empty store behind
            for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.lock")):
                leftover.unlink(missing_ok=True)
        fail(
            "nothing could be read from " + ", ".join(inputs) + "; give text, HTML, JSONL, CSV "
            "or WARC files, or folders of them (see `samestory extract` for what each yields)"
        )


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def cluster(
        inputs: InputsArgument,
        db: Annotated[
            Path | None,
            typer.Option(
                "--db",
                help="The SQLite store (created when missing; default samestory.db). "
                "With --engine spark: also write the result as a new store here.",
            ),
        ] = None,
        threshold: Annotated[
            float | None,
            typer.Option(
                help="Mean similarity to join two groups (default: chosen from the data). A "
                "value given is kept for later runs; a new one regroups the store (ids kept)."
            ),
        ] = None,
        window: WindowOption = 7,
        probe_chars: ProbeOption = None,
        engine: Annotated[
            str,
            typer.Option(
                help="local (this machine, SQLite store) or spark (Apache Spark; needs "
                "pip install 'samestory\\[spark]' and Java)."
            ),
        ] = "local",
        master: Annotated[
            str | None,
            typer.Option(
                help="--engine spark: Spark master URL, e.g. local[2] (default: the one "
                "spark-submit was given, else local[2])."
            ),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                help="--engine spark: folder for the Parquet tables articles, "
                "near_duplicates and stories (default samestory-spark)."
            ),
        ] = None,
        html_method: HtmlMethodOption = "trafilatura",
        field: FieldOption = None,
        max_size: MaxSizeOption = 10.0,
    ) -> None:
        """Group articles into stories (one event each), marking near-copies; safe to rerun."""
        if engine == "spark":
            if html_method != "trafilatura":
                fail("--html-method goes with --engine local (Spark reads HTML the default way)")
            if field:
                fail("--field goes with --engine local (Spark reads the usual field names)")
            if max_size != 10.0:
                fail("--max-size goes with --engine local (Spark reads up to 10 MB an item)")
            from .spark import run_spark

            check_range("--threshold", threshold, -1.0, 1.0)
            check_range("--window", window, 0)
            if db is not None:
                check_db(db)

            run_spark(
                inputs, out=out, db=db, master=master, threshold=threshold, window=window,
                probe_chars=probe_chars,
            )  # fmt: skip
            return
        if engine != "local":
            fail(f"unknown --engine {engine!r}; use local or spark")
        if master is not None or out is not None:
            fail("--master and --out go with --engine spark")
        _run(
            inputs, db or DEFAULT_DB, threshold, window, False, probe_chars, html_method, field,
            max_size,
        )  # fmt: skip

    @app.command()
    def add(
        inputs: InputsArgument,
        db: DbOption = DEFAULT_DB,
        window: WindowOption = 7,
        probe_chars: ProbeOption = None,
        html_method: HtmlMethodOption = "trafilatura",
        field: FieldOption = None,
        max_size: MaxSizeOption = 10.0,
    ) -> None:
        """Add new articles to the stories of a store: existing story ids never change.

        While the store is small, and each time it has grown by a tenth, all its articles are
        grouped afresh (ids kept; an earlier article may move to another story).
        """
        _run(inputs, db, None, window, True, probe_chars, html_method, field, max_size)

    @app.command()
    def stories(
        db: DbOption = DEFAULT_DB,
        output_format: Annotated[
            str, typer.Option("--format", "-f", help="table or json")
        ] = "table",
        limit: Annotated[
            int | None,
            typer.Option(
                help="Stories listed, largest first (default: 50 in the table, all in JSON)."
            ),
        ] = None,
    ) -> None:
        """List the stories of a store, largest first."""
        from ..store import open_store

        check_range("--limit", limit, 1)
        if output_format not in ("table", "json"):
            fail(f"unknown --format {output_format!r}; use table or json")
        if not db.exists():
            fail(f"no store at {db}; create one with `samestory cluster INPUT --db {db}`")
        with user_errors(), open_store(db, readonly=True) as store:  # a listing writes nothing
            rows = store.story_rows()
        if output_format == "json":
            listed = rows if limit is None else rows[:limit]
            typer.echo(json.dumps([r.to_dict() for r in listed], ensure_ascii=False, indent=1))
            return

        from ..render.tables import list_table, shorten

        columns = ("id", "size", "languages", "first seen", "last seen", "headline")
        cells = [
            (
                row.id,
                str(row.size),
                ",".join(row.languages),
                row.first_seen or "",
                row.last_seen or "",
                shorten(row.headline, 90),
            )
            for row in rows[: limit or 50]
        ]
        title = f"{plural(len(rows), 'story', 'stories')} in {db}"
        table = list_table(title, columns, cells, no_wrap=("id",))
        stdout_console(listing=True).print(table)

    @app.command()
    def story(
        story_id: Annotated[
            str, typer.Argument(help="A story id (or a unique prefix; merged ids resolve).")
        ],
        db: DbOption = DEFAULT_DB,
        output_format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
        compared: Annotated[
            int,
            typer.Option(
                help="Members compared with the first report for the fact timeline (0: none)."
            ),
        ] = 20,
    ) -> None:
        """One story: members, languages, sources, near-copies, and a timeline of facts."""
        from ..cluster.story import render_story, story_detail
        from ..store import open_store

        if output_format not in ("text", "json"):
            fail(f"unknown --format {output_format!r}; use text or json")
        check_range("--compared", compared, 0)
        if not db.exists():
            fail(f"no store at {db}; create one with `samestory cluster INPUT --db {db}`")
        # never creates or upgrades a store; it only caches the analyses behind the timeline
        with user_errors(), open_store(db, create=False) as store:
            detail = story_detail(store, story_id, max_compared=compared)
        with user_errors():  # a pipe closed early (`| head`) ends the command quietly
            if output_format == "json":
                typer.echo(json.dumps(detail.to_dict(), ensure_ascii=False, indent=1))
            else:
                render_story(detail, stdout_console(listing=True))
