"""``samestory diff OLD NEW``: what changed between two versions of one article."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from ._common import (
    HtmlMethodOption,
    check_html_method,
    check_not_an_input,
    check_output,
    fail,
    print_rich,
    user_errors,
    write_output,
)


class DiffFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def diff(
        old: str = typer.Argument(..., help="The old version: a .txt/.html file, or - for stdin."),
        new: str = typer.Argument(..., help="The new version: a .txt/.html file, or - for stdin."),
        format: DiffFormat = typer.Option(
            DiffFormat.terminal,
            "--format",
            "-f",
            help="terminal (readable report), json (one object), html (standalone page, needs -o).",
        ),
        output: Path = typer.Option(
            None, "--output", "-o", help="Write to this file instead of stdout."
        ),
        html_method: HtmlMethodOption = "trafilatura",
    ) -> None:
        """Two versions of one article: sentences added, removed, changed, and the facts that changed."""
        check_output(output)
        check_html_method(html_method)
        if old == "-" and new == "-":
            fail("only one of the two versions can come from stdin")
        check_not_an_input(output, [old, new])
        if format is DiffFormat.html and output is None:
            fail("--format html writes a file: add -o diff.html")
        from ..compare.diff import diff_versions
        from ..read import ReadOptions, read_file

        reading = ReadOptions(html_method=html_method)
        with user_errors():
            before, after = read_file(old, reading), read_file(new, reading)
            if before.lang and after.lang and before.lang != after.lang:
                typer.echo(
                    f"samestory: warning: the versions are in different languages ({before.lang}, "
                    f"{after.lang}); a word diff says little across languages, and "
                    "`samestory compare OLD NEW` tells what the two reports share",
                    err=True,
                )
            result = diff_versions(before, after)
            shorter = min(len(result.sentences_old), len(result.sentences_new))
            if before.lang == after.lang and not result.unchanged and shorter >= 3:
                typer.echo(
                    "samestory: warning: the two texts share no sentence word for word; they "
                    "look like two reports rather than two versions of one, and "
                    "`samestory compare OLD NEW` tells what they share",
                    err=True,
                )
        with user_errors():  # a pipe closed early (`| head`) ends the command quietly
            if format is DiffFormat.json:
                write_output(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), output)
            elif format is DiffFormat.html:
                from ..render.diff_html import render_diff_html

                write_output(render_diff_html(result), output)
            else:
                from ..render.diff_terminal import print_diff

                print_rich(lambda console: print_diff(result, console=console), output)
