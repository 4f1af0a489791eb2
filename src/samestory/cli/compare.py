"""``samestory compare``: two reports, or many pairs from a JSONL file."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ._common import (
    HtmlMethodOption,
    check_html_method,
    check_output,
    fail,
    print_rich,
    user_errors,
    write_output,
)


class CompareFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"
    jsonl = "jsonl"


def _side(value: Any, where: str) -> Any:
    """An Article from one side of a pairs line: a text, or an object with title/text/lang/published."""
    from ..errors import InputError
    from ..read import article_from_text

    if isinstance(value, str):
        return article_from_text(value, source=where)
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return article_from_text(
            value["text"],
            source=where,
            title=value.get("title"),
            lang=value.get("lang"),
            published=value.get("published"),
            url=value.get("url"),
        )
    raise InputError(where, 'expected a text or an object with a "text" field')


def _pairs_lines(path: Path) -> Iterator[tuple[int, str]]:
    handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8", errors="replace")
    with handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield number, line


def _count_lines(path: Path) -> int | None:
    if str(path) == "-":
        return None
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def compare_pairs_file(
    path: Path, output: Path | None, batch: int = 16, *, accurate: bool = False
) -> tuple[int, int]:
    """Compare every pair of a JSONL file, writing one JSON line per input line, in order.

    A bad line gives ``{"line": n, "error": "..."}`` in its place and one line on stderr; the
    rest goes on. Returns (compared, failed).
    """
    from ..analyze import analyze_many
    from ..compare import CompareOptions, compare_analyses
    from ..errors import InputError, SamestoryError
    from ..render.progress import progress_bar

    if str(path) != "-" and not path.is_file():
        fail(f'{path}: no such file; give a JSONL file with one {{"a": ..., "b": ...}} per line')
    out = sys.stdout if output is None else output.open("w", encoding="utf-8")
    compared = failed = 0
    options = CompareOptions(accurate=accurate)

    def flush(chunk: list[tuple[int, Any]]) -> None:
        nonlocal compared, failed
        ready = [(n, pair) for n, pair in chunk if not isinstance(pair, str)]
        articles = [article for _, pair in ready for article in pair]
        try:
            analyses = analyze_many(articles, e5=accurate)
        except SamestoryError:
            analyses = []
            for article in articles:  # find the bad one, keep the others
                try:
                    analyses.extend(analyze_many([article], e5=accurate))
                except SamestoryError as error:
                    analyses.append(error)  # type: ignore[arg-type]
        results: dict[int, Any] = {}
        for k, (n, _) in enumerate(ready):
            left, right = analyses[2 * k], analyses[2 * k + 1]
            if isinstance(left, Exception) or isinstance(right, Exception):
                bad = left if isinstance(left, Exception) else right
                results[n] = str(bad)
            else:
                results[n] = compare_analyses(left, right, options).to_dict()
        for n, pair in chunk:
            result = pair if isinstance(pair, str) else results[n]
            if isinstance(result, str):
                failed += 1
                where = f"{path}:{n}"
                message = result if result.startswith(where) else f"{where}: {result}"
                typer.echo(f"samestory: skipped {message}", err=True)
                out.write(json.dumps({"line": n, "error": result}, ensure_ascii=False) + "\n")
            else:
                compared += 1
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()

    chunk: list[tuple[int, Any]] = []
    try:
        lines = progress_bar(_pairs_lines(path), _count_lines(path), "comparing pairs")
        for number, line in lines:
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise InputError(where, 'each line must be an object {"a": ..., "b": ...}')
                missing = [side for side in ("a", "b") if side not in record]
                if missing:
                    raise InputError(
                        where, f'the object has no "{missing[0]}": write {{"a": ..., "b": ...}}'
                    )
                chunk.append(
                    (number, (_side(record["a"], f"{where} a"), _side(record["b"], f"{where} b")))
                )
            except json.JSONDecodeError as error:
                chunk.append(
                    (
                        number,
                        f"{where}: not valid JSON ({error.msg}); write one object "
                        '{"a": ..., "b": ...} per line',
                    )
                )
            except SamestoryError as error:
                chunk.append((number, str(error)))
            if len(chunk) >= batch:
                flush(chunk)
                chunk = []
        if chunk:
            flush(chunk)
    finally:
        if output is not None:
            out.close()
    return compared, failed


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def compare(
        a: str = typer.Argument(None, help="First report: a .txt/.html file, or - for stdin."),
        b: str = typer.Argument(None, help="Second report: a .txt/.html file, or - for stdin."),
        format: CompareFormat | None = typer.Option(
            None,
            "--format",
            "-f",
            help="terminal (readable report, the default), json (one object), html (standalone "
            "side-by-side report, needs -o), jsonl (with --pairs, its default: one object per "
            "line).",
        ),
        output: Path = typer.Option(
            None, "--output", "-o", help="Write to this file instead of stdout."
        ),
        accurate: bool = typer.Option(
            False,
            "--accurate",
            help="Also read e5 embeddings of headline and lead: better scores, ~4x slower.",
        ),
        pairs: Path = typer.Option(
            None,
            "--pairs",
            help='Compare many pairs: a JSONL file, each line {"a": TEXT, "b": TEXT} (a TEXT may be '
            "an object with title, text, lang, published).",
        ),
        html_method: HtmlMethodOption = "trafilatura",
    ) -> None:
        """Tell whether two reports describe the same event: scores, evidence, conflicts."""
        check_output(output)
        check_html_method(html_method)
        if pairs is not None:
            if a or b:
                fail("give either two reports or --pairs, not both")
            if format not in (None, CompareFormat.jsonl, CompareFormat.json):
                fail("--pairs writes JSON lines: use --format jsonl")
            with user_errors():
                compared, failed = compare_pairs_file(pairs, output, accurate=accurate)
            typer.echo(f"compared {compared} pairs, {failed} failed", err=True)
            if compared == 0 and failed:
                raise typer.Exit(2)
            if compared == 0:
                fail(f'{pairs}: no pairs in it; write one {{"a": ..., "b": ...}} per line')
            return
        if not a or not b:
            fail("give two reports to compare (files, or - for stdin), or --pairs PAIRS.jsonl")
        if a == "-" and b == "-":
            fail("only one of the two reports can come from stdin")
        if format is CompareFormat.jsonl:
            fail("--format jsonl is for --pairs; use --format json for one pair")
        format = format or CompareFormat.terminal
        from ..compare import CompareOptions
        from ..compare import compare as compare_reports
        from ..read import ReadOptions, read_file

        reading = ReadOptions(html_method=html_method)
        with user_errors():
            comparison = compare_reports(
                read_file(a, reading), read_file(b, reading), CompareOptions(accurate=accurate)
            )
        if format is CompareFormat.json:
            write_output(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2), output)
        elif format is CompareFormat.html:
            from ..render.html import render_comparison_html

            if output is None:
                fail("--format html writes a file: add -o report.html")
            write_output(render_comparison_html(comparison), output)
        else:
            from ..render.terminal import print_comparison

            print_rich(lambda console: print_comparison(comparison, console=console), output)
