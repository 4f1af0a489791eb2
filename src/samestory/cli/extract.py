"""``samestory extract``: read files, folders, archives or stdin and print clean Articles."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    EXIT_INPUT_ERROR,
    FieldOption,
    HtmlMethodOption,
    MaxSizeOption,
    check_html_method,
    check_range,
    fail,
    noun,
    plural,
    read_fields,
    same_file,
    user_errors,
)

if TYPE_CHECKING:
    from ..article import Article
    from ..read.formats import SkippedItem

# Below this many seconds a run is short enough that a progress display would only flicker.
_PROGRESS_AFTER_SECONDS = 2.0


def _format_text(article: Article) -> str:
    header = [f"# {article.title}" if article.title else f"# {article.source}"]
    details = [
        f"id: {article.id}",
        f"source: {article.source}",
        f"lang: {article.lang}",
    ]
    if article.url:
        details.append(f"url: {article.url}")
    if article.published:
        details.append(f"published: {article.published.isoformat()}")
    if article.author:
        details.append(f"author: {article.author}")
    return "\n".join(header + details + ["", article.text, "", ""])


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def extract(
        paths: Annotated[
            list[str],
            typer.Argument(
                help="Files, folders (read recursively) or - for stdin: .txt .html .json .jsonl "
                ".csv .tsv .warc, each optionally .gz."
            ),
        ],
        output_format: Annotated[
            str,
            typer.Option(
                "--format",
                "-f",
                help="jsonl: one Article JSON per line (with its id); "
                "text: a readable header and the text.",
            ),
        ] = "jsonl",
        errors_path: Annotated[
            Path | None,
            typer.Option("--errors", help="Also write each skipped item as a JSON line here."),
        ] = None,
        glob: Annotated[
            str | None,
            typer.Option(
                "--glob",
                help="Files to read in folders, e.g. '*.html' (default: the known formats).",
            ),
        ] = None,
        field: FieldOption = None,
        max_size: MaxSizeOption = 10.0,
        html_method: HtmlMethodOption = "trafilatura",
        quiet: Annotated[
            bool, typer.Option("--quiet", "-q", help="No per-item lines on stderr.")
        ] = False,
    ) -> None:
        """Print the Articles read from PATHS; bad items are skipped and reported on stderr.

        Exit code 0 when at least one article was read (even if some items were skipped),
        2 when nothing could be read.
        """
        from ..read.formats import ReadOptions, read_many

        if output_format not in ("jsonl", "text"):
            fail(f"--format {output_format!r}: use jsonl or text")
        check_range("--max-size", max_size, 0.001)
        check_html_method(html_method)
        fields = read_fields(field)
        with user_errors():
            options = ReadOptions(
                glob=glob,
                fields=fields,
                max_bytes=int(max_size * 1_000_000),
                html_method=html_method,
            )
        error_file = None
        if errors_path is not None:
            if any(path != "-" and same_file(Path(path), errors_path) for path in paths):
                fail(f"--errors {errors_path} is one of the inputs; write skipped items elsewhere")
            try:
                error_file = errors_path.open("w", encoding="utf-8")
            except OSError as error:
                fail(f"cannot write --errors file {errors_path}: {error.strerror or error}")

        def report(item: SkippedItem) -> None:
            if not quiet:
                typer.echo(f"samestory: skipped {item}", err=True)
            if error_file is not None:
                error_file.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")

        stream = read_many(paths, errors=report, options=options)
        started = time.monotonic()
        unread_dates: list[str] = []  # records whose publication date could not be read
        with user_errors(), _Progress() as progress:
            for article in stream:
                if "published_raw" in article.meta:
                    unread_dates.append(f"{article.meta['published_raw']!r} in {article.source}")
                if output_format == "jsonl":
                    line = json.dumps(article.to_dict(), ensure_ascii=False)
                    sys.stdout.write(line + "\n")
                else:
                    sys.stdout.write(_format_text(article))
                if time.monotonic() - started > _PROGRESS_AFTER_SECONDS:
                    progress.update(stream.articles, len(stream.skipped))
            sys.stdout.flush()
        if error_file is not None:
            error_file.close()
        elapsed = time.monotonic() - started
        typer.echo(
            f"samestory: read {plural(stream.articles, 'article')}, "
            f"skipped {plural(len(stream.skipped), 'item')} "
            f"in {elapsed:.1f} s" + (f"; skipped items in {errors_path}" if errors_path else ""),
            err=True,
        )
        if unread_dates and not quiet:
            typer.echo(
                f"samestory: {plural(len(unread_dates), 'publication date')} could not be read "
                f"and {noun(len(unread_dates), 'was', 'were')} left out (first: "
                f"{unread_dates[0]}); write dates as YYYY-MM-DD",
                err=True,
            )
        if stream.articles == 0:
            raise typer.Exit(EXIT_INPUT_ERROR)


class _Progress:
    """A live count of articles read and items skipped, on stderr when it is a terminal."""

    def __init__(self) -> None:
        self._progress: object | None = None
        self._task: object | None = None

    def __enter__(self) -> _Progress:
        return self

    def update(self, read: int, skipped: int) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        if self._progress is None:
            console = Console(stderr=True)
            if not console.is_terminal:
                self._progress = False
                return
            progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                console=console, transient=True,
            )  # fmt: skip
            progress.start()
            self._progress = progress
            self._task = progress.add_task("reading")
        if self._progress:
            self._progress.update(  # type: ignore[attr-defined]
                self._task, description=f"read {plural(read, 'article')}, skipped {skipped}"
            )

    def __exit__(self, *exc: object) -> None:
        if self._progress:
            self._progress.stop()  # type: ignore[attr-defined]
