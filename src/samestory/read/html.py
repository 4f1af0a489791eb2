"""HTML pages to Articles: main text and metadata.

The page is parsed once. trafilatura (comments left out) extracts its main text and the
metadata; the page is also cut into blocks, and a learned block model (see ``blocks``), which
sees each block's layout and how much of it trafilatura kept, decides which blocks are the
main text. When the model keeps almost nothing, trafilatura's text stands; when that is empty
too, trafilatura's ``baseline`` (paragraphs, JSON-LD ``articleBody``). ``samestory eval
extraction`` measures the result against trafilatura's defaults.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    from .blocks import Block

# trafilatura's defaults but for comments, which are never part of the report, and without
# its fallback extractors (``fast``): the block model does their job, at lower cost. Tables
# stay: articles carry facts in them (on WCXB, leaving them out costs 0.01 F1).
_TRAFILATURA_OPTIONS: dict[str, Any] = {"include_comments": False, "fast": True}
# Below this many words trafilatura's result is taken as a miss and the fallback is tried.
_MIN_WORDS = 10
# Fewer words than this is a page of links or a stub, not an article.
_MIN_ARTICLE_WORDS = 5


@dataclass(frozen=True)
class HtmlExtract:
    text: str
    title: str
    published: dt.date | None
    author: str | None
    url: str | None
    sitename: str | None
    lang: str | None


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or (
        "<body" in head or "<head" in head or "<article" in head or "<p>" in head
    )


def _word_count(text: str) -> int:
    return len(text.split())


def page_parts(
    html: str, *, url: str | None = None, with_metadata: bool = False
) -> tuple[list[Block], str, Any]:
    """The page's blocks, trafilatura's main text and its document, from one parse."""
    import trafilatura

    from .blocks import html_blocks, parse_html

    tree = parse_html(html)
    if tree is None:
        return [], "", None
    try:
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=with_metadata, **_TRAFILATURA_OPTIONS
        )
    except (ValueError, TypeError, RecursionError):  # malformed markup deep inside lxml
        document = None
    extract = (getattr(document, "text", None) or "") if document is not None else ""
    return html_blocks(tree), extract, document


def _extract(html: str, *, url: str | None = None, with_metadata: bool = False) -> tuple[str, Any]:
    """The main text of ``html`` and trafilatura's document (metadata), or ("", None).

    1. the page is parsed once (as trafilatura parses it) and cut into blocks;
    2. trafilatura extracts its main text from the same tree;
    3. the block model keeps the blocks that are main text, with trafilatura's extract as one
       of its features; when it keeps (almost) nothing, trafilatura's text stands, and when
       that is empty too, trafilatura's ``baseline`` (paragraphs, JSON-LD articleBody).
    """
    import trafilatura

    from .blocks import main_blocks

    blocks, extract, document = page_parts(html, url=url, with_metadata=with_metadata)
    kept = main_blocks(blocks, extract)
    text = "\n".join(kept) if kept is not None else extract
    if _word_count(text) < _MIN_WORDS:
        text = extract
    if _word_count(text) < _MIN_WORDS:
        try:
            _, fallback, _ = trafilatura.baseline(html)
        except (ValueError, TypeError, RecursionError):
            fallback = ""
        if _word_count(fallback) > _word_count(text):
            text = fallback
    return text, document


def extract_main_text(html: str) -> str:
    """The main text of an HTML page ("" when none is found); no metadata."""
    return _extract(html)[0]


def extract_html(html: str, source: str, url: str | None = None) -> HtmlExtract:
    """Extract the main text and metadata of an HTML page; InputError when none is found."""
    text, document = _extract(html, url=url, with_metadata=True)
    if _word_count(text) < _MIN_ARTICLE_WORDS:
        raise InputError(source, "no article text found in this HTML page (menus and links only)")
    return HtmlExtract(
        text=text,
        title=(getattr(document, "title", None) or "").strip(),
        published=_parse_date(getattr(document, "date", None)),
        author=getattr(document, "author", None),
        url=getattr(document, "url", None) or url,
        sitename=getattr(document, "sitename", None),
        lang=getattr(document, "language", None),
    )
