"""The terminal report of a VersionDiff (rich): facts changed, sentences changed, added, removed.

Sentence numbers are 1-based (``old 3`` is ``sentences["old"][2]`` in the JSON). Deleted words
are struck through in red, inserted words underlined in green; without colour (a pipe, a
file) they read ``[-old-]`` and ``{+new+}``, as ``git diff --word-diff`` writes them.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from ..compare.diff import VersionDiff, WordEdit
from ._words import plural

FACT_STYLE = "bold white on red"


def print_diff(diff: VersionDiff, console: Console | None = None) -> None:
    """Print the report of ``diff`` to ``console`` (default: stdout)."""
    console = console or Console()
    plain = console.no_color or not console.is_terminal
    for part in (_headline(diff), _facts(diff), _changed(diff, plain), _listed(diff, "removed"),
                 _listed(diff, "added"), _inconsistencies(diff)):  # fmt: skip
        if part is not None:
            console.print(part)
            console.print()


def _headline(diff: VersionDiff) -> RenderableType:
    line = Text("samestory diff", style="bold")
    line.append(f"\nold: {diff.old.title}", style="default")
    line.append(f"\nnew: {diff.new.title}", style="default")
    counts = (
        f"{plural(len(diff.facts), 'fact')} changed · "
        f"{plural(len(diff.changed), 'sentence')} changed · "
        f"{len(diff.added)} added · "
        f"{len(diff.removed)} removed · {len(diff.unchanged)} unchanged"
    )
    line.append("\n" + counts, style="dim")
    return line


def _facts(diff: VersionDiff) -> RenderableType | None:
    if not diff.facts:
        return Text("No fact changed (names, numbers, dates, places).", style="green")
    table = Table(title="Facts changed", title_justify="left", title_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    for column in ("Kind", "Old", "New", "Where", "Why"):
        table.add_column(column, overflow="fold")
    for fact in diff.facts:
        table.add_row(fact.kind, Text(fact.a, style="strike red"), Text(fact.b, style="bold green"),
                      f"old {fact.a_sentence + 1} → new {fact.b_sentence + 1}", Text(fact.reason))  # fmt: skip
    return table


def word_runs(words: tuple[WordEdit, ...], plain: bool) -> Text:
    """A changed sentence with its deletions and insertions marked."""
    text = Text()
    for edit in words:
        if edit.op == "equal":
            text.append(edit.text)
        elif edit.op == "delete":
            text.append(f"[-{edit.text}-]" if plain else edit.text, style="strike red")
        else:
            text.append(f"{{+{edit.text}+}}" if plain else edit.text, style="underline green")
    return text


def _changed(diff: VersionDiff, plain: bool) -> RenderableType | None:
    if not diff.changed:
        return None
    table = Table(title="Sentences changed", title_justify="left", title_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, show_header=False)  # fmt: skip
    table.add_column("Where", no_wrap=True, style="cyan")
    table.add_column("Sentence", overflow="fold")
    for change in diff.changed:
        table.add_row(f"{change.old + 1}→{change.new + 1}", word_runs(change.words, plain))
    return table


def _listed(diff: VersionDiff, which: str) -> RenderableType | None:
    indices = diff.removed if which == "removed" else diff.added
    sentences = diff.sentences_old if which == "removed" else diff.sentences_new
    if not indices:
        return None
    style = "red" if which == "removed" else "green"
    table = Table(title=f"Sentences {which}", title_justify="left", title_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, show_header=False)  # fmt: skip
    table.add_column("Where", no_wrap=True, style="cyan")
    table.add_column("Sentence", overflow="fold", style=style)
    sign = "-" if which == "removed" else "+"
    for index in indices:
        table.add_row(f"{sign}{index + 1}", Text(sentences[index]))
    return table


def _inconsistencies(diff: VersionDiff) -> RenderableType | None:
    if not diff.inconsistencies:
        return None
    table = Table(title="Written two ways in the new version", title_justify="left",
                  title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    for column in ("Kind", "Values", "Sentences"):
        table.add_column(column, overflow="fold")
    for item in diff.inconsistencies:
        table.add_row(
            item.kind, Text(" / ".join(item.values)), ", ".join(str(i + 1) for i in item.sentences)
        )
    return table
