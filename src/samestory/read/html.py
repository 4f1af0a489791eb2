"""HTML pages to Articles: main text and metadata through trafilatura."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import InputError


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


def extract_html(html: str, source: str, url: str | None = None) -> HtmlExtract:
    """Extract the main text and metadata of an HTML page; InputError when none is found."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        favor_precision=False,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise InputError(source, "no article text found in this HTML page")
    return HtmlExtract(
        text=text,
        title=(getattr(document, "title", None) or "").strip(),
        published=_parse_date(getattr(document, "date", None)),
        author=getattr(document, "author", None),
        url=getattr(document, "url", None) or url,
        sitename=getattr(document, "sitename", None),
        lang=getattr(document, "language", None),
    )
