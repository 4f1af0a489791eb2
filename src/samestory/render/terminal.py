"""The terminal report of a Comparison (rich): verdict, scores, sentences, conflicts, boilerplate.

Sentence numbers are shown 1-based (``A3`` is ``sentences["a"][2]`` in the JSON), as a reader
counts them. The layout is side by side from 90 columns and stacked below; rich drops colour and
styles by itself when the output is not a terminal.
"""

from __future__ import annotations

from pathlib import PurePath

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..compare.comparison import DIMENSIONS, AlignedPair, Comparison, DocumentSummary
from ._marks import (
    Mark,
    aligned_groups,
    plain_reason,
    probability_text,
    score_label,
    score_level,
    segments,
    sentence_marks,
    similarity_share,
)
from ._words import plural

SIDE_BY_SIDE_MIN_WIDTH = 90  # below this, two sentence columns get too narrow to read
BAR_WIDTH = 12
ONLY_SHOWN_IF_DIFFERENT = 5  # only-A/only-B lines listed when the reports are of different events

Marks = dict[tuple[str, int], list[Mark]]

# Bar colours of the four score levels (``score_level``: the bands of the labels and the HTML).
LEVEL_COLOURS = ("green", "yellow", "dark_orange", "red")

MARK_STYLES = {
    "conflict": "bold white on red",
    "inconsistency": "bold black on yellow",
    "adds": "underline green",
    "removes": "underline magenta",
}


def print_comparison(comparison: Comparison, console: Console | None = None) -> None:
    """Print the full report of ``comparison`` to ``console`` (default: stdout)."""
    console = console or Console()
    marks = sentence_marks(comparison)
    wide = console.width >= SIDE_BY_SIDE_MIN_WIDTH
    parts: list[RenderableType | None] = [
        _headline(comparison),
        _scores(comparison, wide),
        _alignment(comparison, marks, wide),
        _only(comparison, marks, "a"),
        _only(comparison, marks, "b"),
        _conflicts(comparison, marks),
        _inconsistencies(comparison, marks),
        _dropped(comparison),
    ]
    for part in parts:
        if part is not None:
            console.print(part)
            console.print()


def sentence_label(side: str, index: int) -> str:
    """``A3`` for ``sentences["a"][2]``."""
    return f"{side.upper()}{index + 1}"


def _headline(comparison: Comparison) -> RenderableType:
    probability = comparison.same_event_probability
    if comparison.same_event:
        verdict = Text("SAME EVENT", style="bold green")
    else:
        verdict = Text("DIFFERENT EVENTS", style="bold red")
    verdict.append(
        f"  probability of same event {probability_text(probability, comparison.same_event_threshold)}",
        style="default",
    )
    overall = comparison.scores.overall
    verdict.append(f"  ·  overall {overall:.1f} ({score_label(overall)})", style="dim")
    return Panel(
        Group(verdict, _summary_grid(comparison)),
        title="samestory compare",
        title_align="left",
        box=box.ROUNDED,
    )


def _summary_grid(comparison: Comparison) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold cyan")
    grid.add_column(ratio=1)
    for side, doc in (("A", comparison.a), ("B", comparison.b)):
        grid.add_row(side, _summary(doc))
    return grid


def _summary(doc: DocumentSummary) -> Text:
    line = Text(doc.title or "(no title)", style="bold" if doc.title else "italic dim")
    facts = [doc.lang or "?", f"{doc.chars:,} chars"]
    if doc.published:
        facts.append(doc.published)
    if doc.source:
        # A URL says where the report comes from; of a local path only the file name does.
        facts.append(doc.source if "://" in doc.source else PurePath(doc.source).name)
    if doc.dropped:
        count = len(doc.dropped)
        facts.append(f"{plural(count, 'boilerplate line')} dropped")
    line.append("\n" + " · ".join(facts), style="dim")
    return line


def _bar(score: float) -> Text:
    filled = round(similarity_share(score) * BAR_WIDTH)
    bar = Text("█" * filled, style=LEVEL_COLOURS[score_level(score) - 1])
    bar.append("░" * (BAR_WIDTH - filled), style="dim")
    return bar


def _scores(comparison: Comparison, wide: bool) -> RenderableType:
    table = Table(
        title="Scores  (1 = very similar … 4 = very dissimilar; longer bar = more alike)",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        expand=False,
    )
    table.add_column("Dimension", style="bold", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Alike", no_wrap=True)
    if wide:
        table.add_column("Meaning", no_wrap=True, style="dim")
    table.add_column("Why", ratio=1)
    for name in DIMENSIONS:
        score = float(getattr(comparison.scores, name))
        row: list[RenderableType] = [name.capitalize(), f"{score:.1f}", _bar(score)]
        if wide:
            row.append(score_label(score))
        row.append(Text(plain_reason(comparison.reasons.get(name, ""))))
        table.add_row(*row)
    return table


def _sentence_text(comparison: Comparison, marks: Marks, side: str, index: int) -> Text:
    sentences = comparison.sentences_a if side == "a" else comparison.sentences_b
    if not 0 <= index < len(sentences):
        return Text(f"(sentence {sentence_label(side, index)} not found)", style="dim")
    text = Text()
    for run, mark in segments(sentences[index], marks.get((side, index), [])):
        text.append(run, style=MARK_STYLES[mark.kind] if mark else "")
    return text


def _detail_note(adds: tuple[str, ...], removes: tuple[str, ...]) -> Text | None:
    if not adds and not removes:
        return None
    note = Text()
    if adds:
        note.append("B adds detail: ", style="green")
        note.append(", ".join(adds), style="bold green")
    if removes:
        if adds:
            note.append("  ")
        note.append("A gives: ", style="magenta")
        note.append(", ".join(removes), style="bold magenta")
    return note


def _alignment(comparison: Comparison, marks: Marks, wide: bool) -> RenderableType:
    count = len(comparison.alignment)
    title = Text(f"Corresponding sentences ({plural(count, 'pair')})", style="bold")
    if not comparison.alignment:
        return Group(title, Text("  No sentence of A corresponds to one of B.", style="dim"))
    pairs = sorted(comparison.alignment, key=lambda p: (p.a, p.b))
    groups = aligned_groups(comparison)
    seen: set[tuple[str, int]] = set()

    def cell(side: str, index: int) -> Text:
        # A sentence split across two rows is printed once; the second row points back to it.
        if (side, index) in seen:
            return Text("〃 (as above)", style="dim")
        seen.add((side, index))
        return _sentence_text(comparison, marks, side, index)

    def b_cell_of(pair: AlignedPair) -> Text:
        # B word for word A's sentence (versions, near-copies): said, not printed twice
        if (
            ("b", pair.b) not in seen
            and not marks.get(("b", pair.b))
            and 0 <= pair.a < len(comparison.sentences_a)
            and 0 <= pair.b < len(comparison.sentences_b)
            and comparison.sentences_a[pair.a] == comparison.sentences_b[pair.b]
        ):
            seen.add(("b", pair.b))
            return Text(f"= {sentence_label('a', pair.a)}, word for word", style="dim")
        return cell("b", pair.b)

    if wide:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
        table.add_column("", style="bold cyan", no_wrap=True, justify="right")
        table.add_column("A", ratio=1)
        table.add_column("sim", justify="center", no_wrap=True, style="dim")
        table.add_column("", style="bold cyan", no_wrap=True, justify="right")
        table.add_column("B", ratio=1)
        previous_group = None
        for pair in pairs:
            group = groups.get(("a", pair.a))
            if previous_group is not None and group != previous_group:
                table.add_section()
            previous_group = group
            b_cell = b_cell_of(pair)
            note = _detail_note(pair.adds, pair.removes)
            if note is not None:
                b_cell.append("\n")
                b_cell.append_text(note)
            table.add_row(
                sentence_label("a", pair.a), cell("a", pair.a), f"{pair.similarity:.2f}",
                sentence_label("b", pair.b), b_cell,
            )  # fmt: skip
        return Group(title, table)
    rows: list[RenderableType] = [title]
    for pair in pairs:
        head = Text(
            f"{sentence_label('a', pair.a)} ↔ {sentence_label('b', pair.b)}", style="bold cyan"
        )
        head.append(f"  similarity {pair.similarity:.2f}", style="dim")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        grid.add_row("A", cell("a", pair.a))
        grid.add_row("B", b_cell_of(pair))
        note = _detail_note(pair.adds, pair.removes)
        parts: list[RenderableType] = [head, grid] if note is None else [head, note, grid]
        rows.append(Padding(Group(*parts), (0, 0, 1, 2)))
    return Group(*rows)


def _only(comparison: Comparison, marks: Marks, side: str) -> RenderableType:
    indices = comparison.only_a if side == "a" else comparison.only_b
    title = Text(f"Only {side.upper()} says ({len(indices)})", style="bold")
    if not indices:
        return Group(title, Text("  nothing: every sentence has a counterpart.", style="dim"))
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold cyan", justify="right")
    table.add_column(ratio=1)
    # Reports of different events share nothing, so listing every sentence says nothing more.
    shown = sorted(indices) if comparison.same_event else sorted(indices)[:ONLY_SHOWN_IF_DIFFERENT]
    for index in shown:
        table.add_row(sentence_label(side, index), _sentence_text(comparison, marks, side, index))
    if len(shown) < len(indices):
        table.add_row("", Text(f"… and {len(indices) - len(shown)} more", style="dim"))
    return Group(title, Padding(table, (0, 0, 0, 2)))


def _conflicts(comparison: Comparison, marks: Marks) -> RenderableType:
    title = Text(f"Conflicts between A and B ({len(comparison.conflicts)})", style="bold")
    if not comparison.conflicts:
        return Group(title, Text("  none found.", style="dim"))
    rows: list[RenderableType] = [title]
    for conflict in comparison.conflicts:
        head = Text("  ⚠ ", style="red")
        head.append(f"{conflict.kind:<7}", style="bold red")
        head.append(f" A “{conflict.a}”", style="bold")
        head.append(f" ({sentence_label('a', conflict.a_sentence)})", style="cyan")
        head.append("  ≠  ")
        head.append(f"B “{conflict.b}”", style="bold")
        head.append(f" ({sentence_label('b', conflict.b_sentence)})", style="cyan")
        rows.append(head)
        if conflict.reason:
            rows.append(Text(f"    {conflict.reason}", style="dim"))
        rows.append(_quoted(comparison, marks, "a", conflict.a_sentence))
        rows.append(_quoted(comparison, marks, "b", conflict.b_sentence))
    return Group(*rows)


def _inconsistencies(comparison: Comparison, marks: Marks) -> RenderableType:
    items = comparison.inconsistencies
    title = Text(f"Inconsistencies inside one report ({len(items)})", style="bold")
    if not items:
        return Group(title, Text("  none found.", style="dim"))
    rows: list[RenderableType] = [title]
    for item in items:
        head = Text("  ⚠ ", style="yellow")
        head.append(f"{item.kind:<7}", style="bold yellow")
        head.append(f" {item.doc.upper()} gives ")
        # each value beside the sentence that gives it: “Jarrott” (B2) / “Jarrett” (B10)
        for k, (value, index) in enumerate(zip(item.values, item.sentences, strict=False)):
            if k:
                head.append(" / ")
            head.append(f"“{value}”", style="bold")
            head.append(f" ({sentence_label(item.doc, index)})", style="cyan")
        rows.append(head)
        if item.reason:
            rows.append(Text(f"    {item.reason}", style="dim"))
        for index in sorted(set(item.sentences)):
            rows.append(_quoted(comparison, marks, item.doc, index))
    return Group(*rows)


def _quoted(comparison: Comparison, marks: Marks, side: str, index: int) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="cyan", justify="right", min_width=7)
    grid.add_column(ratio=1)
    grid.add_row(sentence_label(side, index), _sentence_text(comparison, marks, side, index))
    return grid


def _dropped(comparison: Comparison) -> RenderableType | None:
    if not comparison.a.dropped and not comparison.b.dropped:
        return None
    counts = ", ".join(
        f"{side} {len(doc.dropped)}" for side, doc in (("A", comparison.a), ("B", comparison.b))
    )
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold dim")
    grid.add_column(ratio=1, style="dim")
    for side, doc in (("A", comparison.a), ("B", comparison.b)):
        if doc.dropped:
            grid.add_row(side, Text(" · ".join(line.strip() for line in doc.dropped)))
    title = Text(f"Dropped boilerplate, not scored ({counts})", style="bold dim")
    return Group(title, Padding(grid, (0, 0, 0, 2)))
