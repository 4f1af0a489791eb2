"""``samestory compare``: two reports, or many pairs from a JSONL file."""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import typer

from ._common import (
    HtmlMethodOption,
    check_html_method,
    check_not_an_input,
    check_output,
    fail,
    plural,
    print_rich,
    user_errors,
    write_output,
    writes_over,
)

if TYPE_CHECKING:
    import datetime as dt

    from ..article import Article

PAIRS_LINE = '{"a": ..., "b": ...}'
# The fields of a side given as an object that must hold text (``published`` may be a number).
_STRING_FIELDS = ("text", "title", "url", "lang", "author", "source")


class CompareFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"
    jsonl = "jsonl"


def _shown(value: Any, limit: int = 60) -> str:
    """A JSON value as the user wrote it, cut short for a message."""
    from ..read.formats import printable

    text = printable(json.dumps(value, ensure_ascii=False))  # a lone surrogate cannot be written
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _published(value: Any, side: str, where: str) -> dt.date | None:
    """The date of a side's ``published``, read as the readers read one; InputError if none."""
    from ..errors import InputError
    from ..read.formats import parse_date

    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(
            where,
            f"{side}.published must be a date string or a Unix timestamp, got {_shown(value)}",
        )
    date = parse_date(value)
    if date is None:
        raise InputError(
            where,
            f"{side}.published {_shown(value)} is not a date; write it as YYYY-MM-DD, an RFC 2822 "
            "date or a Unix timestamp",
        )
    return date


def _side(value: Any, side: str, where: str) -> Article:
    """The Article of one side of a pairs line: a text, or an object with text, title, url,
    lang, author, source (its outlet) and published; InputError (naming the side and field) when it is neither."""
    from ..errors import InputError
    from ..read import article_from_text

    fields: dict[str, Any] = {"text": value} if isinstance(value, str) else value
    if not isinstance(fields, dict):
        raise InputError(
            where, f'{side} must be a text or an object with a "text" field, got {_shown(value)}'
        )
    if fields.get("text") is None:
        raise InputError(where, f'{side} has no "text": write {{"text": ..., "title": ...}}')
    for name in _STRING_FIELDS:
        if fields.get(name) is not None and not isinstance(fields[name], str):
            raise InputError(where, f"{side}.{name} must be a string, got {_shown(fields[name])}")
    if not fields["text"].strip():
        raise InputError(where, f"{side} is an empty text; give the text of the article")
    return article_from_text(
        fields["text"],
        source=(fields.get("source") or "").strip() or f"{where} {side}",
        title=fields.get("title"),
        lang=fields.get("lang"),  # normalised ("en-GB", "English": "en") or else detected
        published=_published(fields.get("published"), side, where),
        url=fields.get("url"),
        author=fields.get("author"),
    )


def _pair(line: str | None, where: str, limit: int) -> tuple[Article, Article]:
    """The two Articles of one pairs line; InputError saying what is wrong with the line."""
    from ..errors import InputError

    if line is None:
        raise InputError(where, f"a line longer than {limit / 1e6:g} MB; give shorter texts")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(
            where, f"not valid JSON ({error.msg}); write one object {PAIRS_LINE} per line"
        ) from None
    except (RecursionError, ValueError) as error:  # nesting too deep, a huge integer
        first_line = str(error).split("\n", 1)[0][:200]
        raise InputError(where, f"JSON this reader refuses ({first_line})") from None
    if not isinstance(record, dict):
        raise InputError(where, f"each line must be an object {PAIRS_LINE}")
    missing = [side for side in ("a", "b") if side not in record]
    if missing:
        raise InputError(where, f'the object has no "{missing[0]}": write {PAIRS_LINE}')
    return _side(record["a"], "a", where), _side(record["b"], "b", where)


class _Utf16AsUtf8:
    """A UTF-16 text stream read as UTF-8 bytes, so that its lines are split and checked by
    the readers' ``_text_lines`` like those of any other JSON lines file."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self._text = text

    def readline(self, size: int = -1) -> bytes:
        # ``size`` counts characters, so a line cut at it is at least ``size`` bytes long
        return self._text.readline(size).encode("utf-8", "replace")

    def close(self) -> None:
        self._text.close()


def _open_pairs(path: Path) -> tuple[IO[bytes], bool]:
    """The pairs file as UTF-8 bytes, as the readers read files (gzip found by its magic
    bytes, a BOM dropped, UTF-16 with a BOM decoded), and whether its lines can be counted
    beforehand (a plain file); InputError when it is missing, a folder or not text."""
    from ..errors import InputError
    from ..read.decode import looks_binary

    name = str(path)
    if name == "-":
        raw: IO[bytes] = sys.stdin.buffer
    elif path.is_dir():
        raise InputError(name, f"is a folder; give the JSONL file with one {PAIRS_LINE} per line")
    elif not path.exists():
        raise InputError(name, f"no such file; give a JSONL file with one {PAIRS_LINE} per line")
    else:
        try:
            raw = path.open("rb")
        except OSError as error:
            raise InputError(name, f"cannot be read ({error.strerror or error})") from None
    # stdin is a BytesIO under a test runner: buffered here for ``peek``
    stream = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast("Any", raw))
    countable = name != "-" and path.is_file()  # a FIFO (`<(zcat ...)`) can be read only once
    try:
        if stream.peek(2)[:2] == b"\x1f\x8b":
            stream = io.BufferedReader(gzip.GzipFile(fileobj=stream, mode="rb"))
            countable = False
        head = stream.peek(8192)[:8192]
    except (OSError, EOFError, zlib.error) as error:
        stream.close()
        raise InputError(
            name, f"corrupt or truncated gzip data ({error}); re-download or re-compress the file"
        ) from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = io.TextIOWrapper(stream, encoding="utf-16", errors="replace", newline="\n")
        return cast("IO[bytes]", _Utf16AsUtf8(text)), False
    if looks_binary(head):
        stream.close()
        raise InputError(
            name,
            f"this looks like a binary file, not JSON lines; give a text file (UTF-8 or UTF-16, "
            f"optionally gzipped) with one {PAIRS_LINE} per line",
        )
    return stream, countable


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def compare_pairs_file(
    path: Path, output: Path | None, batch: int = 16, *, accurate: bool = False
) -> tuple[int, int]:
    """Compare every pair of a JSONL file, writing one JSON line per input line, in order.

    A bad line gives ``{"line": n, "error": "..."}`` in its place and one line on stderr; the
    rest goes on. Returns (compared, failed). Raises InputError when the file cannot be read
    as JSON lines at all (missing, a folder, binary).
    """
    from ..analyze import analyze_many
    from ..compare import CompareOptions, compare_analyses
    from ..errors import InputError, SamestoryError
    from ..read.formats import ReadOptions, _text_lines
    from ..render.progress import progress_bar

    stream, countable = _open_pairs(path)
    try:
        out = sys.stdout if output is None else output.open("w", encoding="utf-8")
    except OSError as error:
        stream.close()
        fail(f"cannot write -o {output}: {error.strerror or error}")
    compared = failed = 0
    options = CompareOptions(accurate=accurate)
    line_limit = 2 * ReadOptions.max_bytes  # two articles, each within the readers' limit

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
                try:
                    results[n] = compare_analyses(left, right, options).to_dict()
                except SamestoryError as error:  # e.g. two texts too long to align
                    results[n] = str(error)
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
    broken: InputError | None = None
    number = 0
    try:
        total = _count_lines(path) if countable else None
        lines = progress_bar(_text_lines(stream, line_limit), total, "comparing pairs")
        try:
            for number, line in lines:
                if line is not None and not line.strip():
                    continue
                try:
                    chunk.append((number, _pair(line, f"{path}:{number}", line_limit)))
                except SamestoryError as error:
                    chunk.append((number, str(error)))
                if len(chunk) >= batch:
                    flush(chunk)
                    chunk = []
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            # the pairs read before the damage are still compared and written
            broken = InputError(
                str(path),
                f"corrupt or truncated gzip data after line {number} ({error}); the lines "
                "before it were compared; re-download or re-compress the file",
            )
        if chunk:
            flush(chunk)
        if broken is not None:
            raise broken
    finally:
        stream.close()
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
            if output is not None and writes_over(output, pairs):
                fail(f"-o {output} is the --pairs file; write the results elsewhere")
            with user_errors():
                compared, failed = compare_pairs_file(pairs, output, accurate=accurate)
            if compared == 0 and not failed:
                fail(f"{pairs}: no pairs in it; write one {PAIRS_LINE} per line")
            if output is not None:
                typer.echo(f"wrote {output}", err=True)
            typer.echo(f"compared {plural(compared, 'pair')}, {failed} failed", err=True)
            if compared == 0:
                raise typer.Exit(2)
            return
        if not a or not b:
            fail("give two reports to compare (files, or - for stdin), or --pairs PAIRS.jsonl")
        if a == "-" and b == "-":
            fail("only one of the two reports can come from stdin")
        check_not_an_input(output, [a, b])
        if format is CompareFormat.jsonl:
            fail("--format jsonl is for --pairs; use --format json for one pair")
        if format is CompareFormat.html and output is None:
            fail("--format html writes a file: add -o report.html")
        format = format or CompareFormat.terminal
        from ..compare import CompareOptions
        from ..compare import compare as compare_reports
        from ..read import ReadOptions, read_file

        reading = ReadOptions(html_method=html_method)
        with user_errors():
            comparison = compare_reports(
                read_file(a, reading), read_file(b, reading), CompareOptions(accurate=accurate)
            )
        with user_errors():  # a pipe closed early (`| head`) ends the command quietly
            if format is CompareFormat.json:
                write_output(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2), output)
            elif format is CompareFormat.html:
                from ..render.html import render_comparison_html

                write_output(render_comparison_html(comparison), output)
            else:
                from ..render.terminal import print_comparison

                print_rich(lambda console: print_comparison(comparison, console=console), output)
