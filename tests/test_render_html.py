"""The HTML report: texts escaped, one colour per aligned pair, nothing from the network."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from samestory.compare.comparison import DIMENSIONS, Comparison, Conflict, DocumentSummary
from samestory.render.html import render_comparison_html
from test_render_example import example_comparison

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text content, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return example_comparison()


@pytest.fixture(scope="module")
def page(comparison: Comparison) -> str:
    return render_comparison_html(comparison)


def test_page_shows_verdict_scores_and_both_texts(comparison: Comparison, page: str):
    assert page.startswith("<!doctype html>")
    text = " ".join(parse(page).text)
    assert "Same event" in text and "97%" in text
    for name in DIMENSIONS:
        assert name.capitalize() in text
    for sentence in (*comparison.sentences_a, *comparison.sentences_b):
        assert all(word in text for word in sentence.split()[:4])
    assert "Keep it Clean" in text  # the dropped boilerplate, folded in <details>
    assert "<details" in page


def classes_of(page: str, element_id: str) -> set[str]:
    for _tag, attrs in parse(page).tags:
        if attrs.get("id") == element_id:
            return set((attrs.get("class") or "").split())
    raise AssertionError(f"no element with id {element_id}")


def test_aligned_pair_shares_a_colour_and_only_sentences_are_marked(page: str):
    prefix = re.search(r'<div class="ssr" id="([^"]+)"', page).group(1)
    for a, b in [(2, 0), (4, 2), (5, 3), (5, 4), (12, 13)]:
        colour_a = {c for c in classes_of(page, f"{prefix}-a-{a}") if re.fullmatch(r"ssr-g\d", c)}
        colour_b = {c for c in classes_of(page, f"{prefix}-b-{b}") if re.fullmatch(r"ssr-g\d", c)}
        assert colour_a and colour_a == colour_b, (a, b)
    assert "ssr-only" in classes_of(page, f"{prefix}-a-3")
    assert "ssr-only" in classes_of(page, f"{prefix}-b-15")
    colours = [
        classes_of(page, f"{prefix}-a-{a}") & {f"ssr-g{k}" for k in range(8)} for a in (1, 2)
    ]
    assert colours[0] != colours[1]  # neighbouring pairs get different colours


def test_conflict_is_marked_in_both_sentences_and_listed_with_links(page: str):
    parsed = parse(page)
    marks = [attrs for tag, attrs in parsed.tags if tag == "mark"]
    assert any(
        "Las Cruses" in (m.get("title") or "") and "Las Cruces" in (m.get("title") or "")
        for m in marks
    )
    prefix = re.search(r'<div class="ssr" id="([^"]+)"', page).group(1)
    hrefs = {attrs.get("href") for tag, attrs in parsed.tags if tag == "a"}
    assert {f"#{prefix}-a-0", f"#{prefix}-b-4", f"#{prefix}-b-16", f"#{prefix}-b-17"} <= hrefs
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    assert all(href[1:] in ids for href in hrefs if href and href.startswith("#"))
    assert re.search(r'<mark class="ssr-m-conflict"[^>]*>Las Cruses</mark>', page)
    assert re.search(r'<mark class="ssr-m-inconsistency"[^>]*>Jarrett</mark>', page)


def hostile(comparison: Comparison) -> Comparison:
    evil = f"{HOSTILE_SCRIPT} {HOSTILE_IMG} \" onmouseover=alert(1) x='"
    return replace(
        comparison,
        a=replace(comparison.a, title=evil, source="javascript:alert(1)", dropped=(evil,)),
        b=DocumentSummary(title=HOSTILE_IMG, lang="en", chars=10, dropped=(), source=evil),
        sentences_a=(f"Police said {HOSTILE_SCRIPT} in Las Cruses.", *comparison.sentences_a[1:]),
        sentences_b=(f"{HOSTILE_IMG} was posted.", *comparison.sentences_b[1:]),
        conflicts=(
            Conflict(
                kind="name",
                a=HOSTILE_SCRIPT,
                b=HOSTILE_IMG,
                a_sentence=0,
                b_sentence=0,
                reason=evil,
            ),
        ),
        reasons={**comparison.reasons, "overall": evil},
    )


@pytest.mark.parametrize("standalone", [True, False])
def test_hostile_article_text_appears_only_escaped(comparison: Comparison, standalone: bool):
    html = render_comparison_html(hostile(comparison), standalone=standalone)
    assert HOSTILE_SCRIPT not in html and HOSTILE_IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    parsed = parse(html)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "img", "iframe", "object")]
    for _tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not (attrs.get("href") or "#").lower().startswith("javascript")
    text = "".join(parsed.text)
    assert HOSTILE_SCRIPT in text and HOSTILE_IMG in text  # shown to the reader, as text


def test_no_network_resources(page: str):
    parsed = parse(page)
    for _tag, attrs in parsed.tags:
        for name in ("src", "href", "action", "srcset", "data"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), (name, attrs)
    assert not re.search(r"https?://", page)
    assert not re.search(r"@import|url\(", page)
    csp = [
        a
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in (csp[0].get("content") or "")


def test_fragment_for_jupyter_is_scoped_and_self_contained(comparison: Comparison):
    fragment = comparison._repr_html_()
    assert not fragment.lstrip().lower().startswith("<!doctype")
    assert "<html" not in fragment and "<body" not in fragment
    css = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    selectors = re.findall(r"(?:^|})\s*([^{}@]+?)\s*{", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    for selector in selectors:
        for part in re.split(r",(?![^()]*\))", selector):  # commas outside :has(...)
            assert ".ssr" in part or "#ss" in part or part.strip() in ("from", "to"), part
    assert "Las Cruses" in fragment


def test_same_comparison_renders_the_same_bytes(comparison: Comparison, page: str):
    assert render_comparison_html(comparison) == page


def test_different_events_without_alignment(comparison: Comparison):
    different = replace(
        comparison,
        same_event=False,
        same_event_probability=0.02,
        alignment=(),
        conflicts=(),
        inconsistencies=(),
        only_a=tuple(range(13)),
        only_b=tuple(range(18)),
    )
    html = render_comparison_html(different)
    assert "Different events" in html and "ssr-different" in html
    assert not re.search(r'class="ssr-s ssr-g\d', html)
