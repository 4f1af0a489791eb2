"""Helpers shared by the CLI commands: error reporting, output, progress."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from ..errors import SamestoryError
from ..render._words import noun as noun  # re-exported: the CLI modules count with these
from ..render._words import plural as plural

if TYPE_CHECKING:
    from ..read.formats import FieldNames

EXIT_INPUT_ERROR = 2

HTML_METHOD_HELP = (
    "How the main text of HTML pages is found: trafilatura (default, the best balance), "
    "precise (article body only: best on news pages) or blocks (learned block model, best on "
    "blogs and guides)."
)
HtmlMethodOption = Annotated[str, typer.Option("--html-method", help=HTML_METHOD_HELP)]
MaxSizeOption = Annotated[
    float, typer.Option("--max-size", help="Skip items larger than this many MB.")
]
FieldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        help="Record field (JSON key, CSV column) holding an article part, PART=NAME, "
        "e.g. --field text=story --field published=pubDate (repeatable; columns of a CSV "
        "without a header row are numbered 1, 2, ...); tried before the usual names (text, "
        "body, content, ...), which still apply where a JSON record lacks it.",
    ),
]


def version_callback(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"samestory {__version__}")
        raise typer.Exit()


def fail(message: str, code: int = EXIT_INPUT_ERROR) -> NoReturn:
    """Print one clear line on stderr and exit (no traceback)."""
    typer.echo(f"samestory: error: {message}", err=True)
    raise typer.Exit(code)


def check_output(path: Path | None, option: str = "-o") -> None:
    """Refuse an output file that cannot be written, before any work is done."""
    if path is None:
        return
    if path.is_dir():
        fail(f"{option} {path}: is a folder; give a file name")
    if not path.parent.exists():
        fail(f"{option} {path}: there is no folder {path.parent}; create it first")


def read_fields(values: list[str] | None) -> FieldNames:
    """The ``FieldNames`` that ``--field PART=NAME`` options ask for; one clear line if wrong."""
    from ..errors import InputError
    from ..read.formats import FieldNames

    overrides: dict[str, str] = {}
    for value in values or []:
        part, sep, name = value.partition("=")
        if not sep or not part.strip() or not name.strip():
            fail(f"--field {value!r}: write it as PART=NAME, e.g. --field text=story")
        overrides[part.strip()] = name.strip()
    try:
        return FieldNames.with_overrides(overrides)
    except InputError as error:  # an unknown article part
        given = " ".join(f"{part}={name}" for part, name in overrides.items())
        fail(f"--field {given}: {error.reason}")


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one existing file (so writing one would wipe the other)."""
    try:
        return first.exists() and second.exists() and first.samefile(second)
    except OSError:
        return False


def writes_over(output: Path, source: str | Path) -> bool:
    """Whether writing ``output`` would overwrite the input ``source`` (``-``: stdin, never)."""
    if str(source) == "-":
        return False
    return Path(source).resolve() == output.resolve() or same_file(Path(source), output)


def check_not_an_input(output: Path | None, inputs: Sequence[str], option: str = "-o") -> None:
    """Refuse an output file that is one of the inputs (writing it would wipe that input)."""
    if output is None:
        return
    for name in inputs:
        if writes_over(output, name):
            fail(f"{option} {output} is one of the inputs ({name}); write the result elsewhere")


def check_html_method(html_method: str, option: str = "--html-method") -> None:
    from ..read.html import HTML_METHOD_CHOICES, HTML_METHODS

    if html_method not in HTML_METHODS:
        fail(f"{option} {html_method!r}: use {HTML_METHOD_CHOICES}")


def check_db(path: Path) -> None:
    """Refuse a store path in a missing folder or naming a folder, before opening it."""
    check_output(path, "--db")


def check_range(
    option: str, value: float | None, low: float | None = None, high: float | None = None
) -> None:
    """One clear line when a numeric option is outside [low, high] (or not a number)."""
    if value is None:
        return
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            wanted = f"between {low:g} and {high:g}"
        elif low is not None:
            wanted = f"at least {low:g}"
        else:
            wanted = f"at most {high:g}"
        fail(f"{option} must be {wanted}, got {value:g}")


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn samestory's own errors (and a broken pipe) into one line on stderr and exit 2."""
    try:
        yield
    except SamestoryError as error:
        fail(str(error))
    except BrokenPipeError:
        sys.stderr.close()
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        fail("interrupted", code=130)


PIPED_TABLE_WIDTH = 160  # a listing piped or redirected keeps one row per line at this width


def stdout_console(*, listing: bool = False) -> Any:
    """A rich console on stdout that raises BrokenPipeError when the reader of a pipe has
    gone (``| head``), for ``user_errors`` to end the command quietly: rich's own handling
    exits with status 1 and says nothing.

    ``listing``: a table of rows (stories, members); piped or redirected (no terminal, no
    ``COLUMNS``) it is drawn ``PIPED_TABLE_WIDTH`` wide instead of rich's 80 columns, so
    ``| grep`` and ``| less -S`` see one row per line.
    """
    import os

    from rich.console import Console

    class StdoutConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            # what is still buffered for stdout goes nowhere, not into a second error at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise BrokenPipeError

    console = StdoutConsole()
    if listing and not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_TABLE_WIDTH
    return console


def print_rich(printer: Callable[[Any], None], output: Path | None) -> None:
    """Run a rich printer on the terminal, or into ``output`` (100 columns, no colour)."""
    if output is None:
        printer(stdout_console())
        return
    from rich.console import Console

    with output.open("w", encoding="utf-8") as handle:
        printer(Console(file=handle, width=100))
    typer.echo(f"wrote {output}", err=True)


def write_output(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` or stdout."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


def print_skipped(items: Sequence[str], limit: int = 10) -> None:
    """One stderr line per skipped input (the first ``limit`` of them), then a count."""
    for item in items[:limit]:
        typer.echo(f"samestory: skipped {item}", err=True)
    if len(items) > limit:
        typer.echo(f"samestory: ... and {len(items) - limit} more skipped", err=True)


def print_run_details(
    console: Any, seconds: dict[str, float], checks: int, vetoes: int, note: str,
    skipped: list[str], unchecked: int = 0,
) -> None:  # fmt: skip
    """The lines both story engines print after their summary: time per stage, pair-model
    checks, and the first skipped inputs."""
    from rich.markup import escape

    console.print("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in seconds.items()))
    if checks or note:
        apart = (
            f", {unchecked} more left apart (its budget of checks was spent)" if unchecked else ""
        )
        console.print(
            f"pair model: {checks} uncertain merges checked, {vetoes} refused{apart} {note}"
        )
    for item in skipped[:10]:
        console.print(f"[yellow]skipped[/] {escape(str(item))}")
    if len(skipped) > 10:
        console.print(f"[yellow]... and {len(skipped) - 10} more skipped[/]")
