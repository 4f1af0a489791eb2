"""Both renderings of the real comparison of the bundled example pair (skipped without a model)."""

from __future__ import annotations

import io
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from rich.console import Console

from samestory.compare import Comparison, compare
from samestory.errors import ModelError
from samestory.render.html import render_comparison_html
from samestory.render.terminal import print_comparison


@pytest.fixture(scope="module")
def comparison(example_dir) -> Comparison:
    try:
        return compare(
            example_dir / "first-report-web-copy.txt", example_dir / "update-translated.txt"
        )
    except ModelError as error:  # the pair model is trained separately (`samestory train`)
        pytest.skip(str(error))


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_terminal_report_of_the_real_pair(comparison: Comparison):
    buffer = io.StringIO()
    print_comparison(comparison, Console(file=buffer, width=100, force_terminal=False))
    text = buffer.getvalue()
    assert ("SAME EVENT" if comparison.same_event else "DIFFERENT EVENTS") in text
    for conflict in comparison.conflicts:
        assert conflict.a in text and conflict.b in text
    assert "Keep it Clean" in text


def test_html_of_the_real_pair_colours_every_aligned_pair_alike(comparison: Comparison):
    html = render_comparison_html(comparison)
    parser = Tags()
    parser.feed(html)
    by_id = {attrs["id"]: attrs for _, attrs in parser.tags if attrs.get("id")}
    prefix = re.search(r'<div class="ssr" id="([^"]+)"', html).group(1)

    def colour(side: str, index: int) -> set[str]:
        classes = (by_id[f"{prefix}-{side}-{index}"].get("class") or "").split()
        return {c for c in classes if re.fullmatch(r"ssr-g\d+", c)}

    for pair in comparison.alignment:
        assert colour("a", pair.a) and colour("a", pair.a) == colour("b", pair.b), pair
    for index in comparison.only_a:
        assert "ssr-only" in (by_id[f"{prefix}-a-{index}"].get("class") or "")
    for _, attrs in parser.tags:
        href = attrs.get("href") or ""
        assert not href or (href.startswith("#") and href[1:] in by_id), href
    for conflict in comparison.conflicts:
        assert re.search(
            rf"<mark class=\"ssr-m-conflict\"[^>]*>{re.escape(conflict.a)}</mark>", html
        )


def _tags(html: str, kind: str) -> list[list[str]]:
    """The values of every "adds …" or "not in B: …" tag, tag by tag."""
    prefix = "adds " if kind == "adds" else "not in B: "
    found = re.findall(rf'<span class="ssr-tag ssr-tag-{kind}"[^>]*>{prefix}([^<]*)</span>', html)
    return [unescape(values).split(", ") for values in found]


def _check_details(comparison: Comparison) -> None:
    html = render_comparison_html(comparison)
    in_conflict = {v.casefold() for c in comparison.conflicts for v in (c.a, c.b)}
    for kind in ("adds", "gives"):
        for values in _tags(html, kind):
            assert len({v.casefold() for v in values}) == len(values), values  # each once
            assert not in_conflict & {v.casefold() for v in values}, values


def test_html_of_the_real_pair_lists_no_conflicting_value_as_a_detail(comparison: Comparison):
    _check_details(comparison)


def test_html_of_real_sts22_pairs_lists_each_detail_once_and_no_conflict(data_dir):
    """Pairs whose alignment repeats details and lists a conflict's two values as details."""
    import csv
    import sys

    from samestory.compare import compare
    from samestory.read import article_from_text

    wanted = {"1483805983_1484316170", "1484039464_1484185093", "1521378939_1521443853"}
    csv.field_size_limit(sys.maxsize)
    with (data_dir / "sts22" / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["pair_id"] in wanted]
    assert len(rows) == len(wanted)
    for row in rows:
        try:
            comparison = compare(
                article_from_text(row["text1"], title=row["title1"]),
                article_from_text(row["text2"], title=row["title2"]),
            )
        except ModelError as error:
            pytest.skip(str(error))
        _check_details(comparison)
