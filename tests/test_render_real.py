"""Both renderings of the real comparison of the bundled example pair (skipped without a model)."""

from __future__ import annotations

import io
import re
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
