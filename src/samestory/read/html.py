"""HTML pages to Articles: main text and metadata.

Three methods, each measured by ``samestory eval extraction`` against trafilatura's defaults:

- ``trafilatura`` (default): trafilatura with comments left out (its default keeps them);
  lines that are boilerplate on their own (share, subscribe, credit lines) are dropped.
- ``precise``: the same with trafilatura's precision mode, which leaves out more of what
  surrounds the article body (decks, teasers, captions, short asides). Best on news pages
  (ScrapingHub), worse on blogs, guides and reviews (WCXB), and slower.
- ``blocks``: the page is parsed once and cut into blocks; a learned block model (see
  ``blocks``), which sees each block's layout and how much of it trafilatura kept, picks the
  main text. Better on blogs, guides and reviews (WCXB), slower, and a little worse on news
  pages (ScrapingHub).

When a method finds (almost) nothing, trafilatura's ``baseline`` (paragraphs, JSON-LD
``articleBody``) is the fallback; with the default method it also replaces an extract that
missed most of the page's prose (``_missed_paragraphs``). A first line that is the page's
headline is dropped (it is the Article's title).
"""

from __future__ import annotations

import datetime as dt
import html as html_entities
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    from .blocks import Block

# trafilatura without comments, which are never part of the report, and in its recall mode,
# which measured faster than its default mode and as good: on both
# benchmarks, F1 within 0.001 of the default mode at 1.3x its speed. Tables stay: articles
# carry facts in them (on WCXB, leaving them out costs 0.01 F1).
# Publication dates from the page's markup and metadata only: htmldate's extensive search also
# reads dates out of the text and scripts ("es_plusone_gc_20251208" gave 2025-12-08). On the 793
# WCXB pages (ground-truth publish_date): 557 right, 100 wrong and 131 dates on pages without
# one with it, against 532 right, 87 wrong and 55 without it (78.9 % of the dates given right
# instead of 70.7 %). A wrong date keeps an article out of its stories' window; none does not.
_DATES: dict[str, Any] = {"extensive_search": False, "original_date": True}
_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False, "favor_recall": True, "date_extraction_params": _DATES,
}  # fmt: skip
# The ``precise`` method: precision mode keeps only the article body. Its fallback extractors
# matter here: with ``fast`` (none) ScrapingHub F1 falls from 0.972 to 0.957.
_PRECISE_OPTIONS: dict[str, Any] = {
    "include_comments": False, "favor_precision": True, "date_extraction_params": _DATES,
}  # fmt: skip
# The block model sees trafilatura's extract as a feature; it was trained with this faster
# setting (no fallback extractors: the model does their job), so it must run with it too.
_BLOCK_MODEL_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False, "fast": True, "date_extraction_params": _DATES,
}  # fmt: skip
HTML_METHODS = ("trafilatura", "precise", "blocks")
HTML_METHOD_CHOICES = ", ".join(HTML_METHODS[:-1]) + " or " + HTML_METHODS[-1]  # for messages
# Below this many words trafilatura's result is taken as a miss and the fallback is tried.
_MIN_WORDS = 10
# A baseline (every paragraph) this many times longer than the extract, adding prose lines of
# this many words on average, means the extract missed most of the article (see
# ``_missed_paragraphs``).
_MISSED_RATIO = 3
_PROSE_WORDS = 20
# Fewer words than this is a page of links or a stub, not an article.
_MIN_ARTICLE_WORDS = 5
# Where a page names its headline: <title>, Open Graph / Twitter titles, the first <h1>s.
# Searched with bounded patterns in the head of the page (a 50 MB page costs no more).
_HEAD_CHARS = 300_000
_TITLE_TAG = re.compile(r"<title[^>]*>(.{0,1000}?)</title>", re.S | re.I)
_META_TITLE = re.compile(
    r"<meta[^>]{0,200}(?:property|name)=[\"'](?:og:title|twitter:title)[\"'][^>]{0,200}"
    r"content=[\"']([^\"']{0,1000})[\"']",
    re.I,
)
_H1 = re.compile(r"<h1[^>]{0,500}>(.{0,1000}?)</h1>", re.S | re.I)
_TAG = re.compile(r"<[^>]{0,2000}>")


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
    """The page's blocks, trafilatura's main text (block-model settings) and its document."""
    from .blocks import html_blocks, parse_html

    tree = parse_html(html)
    if tree is None:
        return [], "", None
    extract, document = _trafilatura(tree, url, with_metadata, _BLOCK_MODEL_TRAFILATURA_OPTIONS)
    return html_blocks(tree), extract, document


def _trafilatura(
    page: Any, url: str | None, with_metadata: bool, options: dict[str, Any]
) -> tuple[str, Any]:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            page, url=url, with_metadata=with_metadata, **options
        )
    except (ValueError, TypeError, RecursionError):  # malformed markup deep inside lxml
        document = None
    return (getattr(document, "text", None) or "") if document is not None else "", document


def _extract(
    html: str, *, url: str | None = None, with_metadata: bool = False, method: str = "trafilatura"
) -> tuple[str, Any]:
    """The main text of ``html`` and trafilatura's document (metadata), or ("", None).

    ``trafilatura`` (default): trafilatura without comments; lines that are boilerplate on
    their own are dropped. ``precise``: the same in trafilatura's precision mode.
    ``blocks``: the page is parsed once and cut into blocks; the block
    model keeps the main-text blocks, with trafilatura's extract as one of its features (when
    it keeps almost nothing, trafilatura's text stands). Either way, when nothing is found,
    trafilatura's ``baseline`` (paragraphs, JSON-LD articleBody) is the fallback.
    """
    import trafilatura

    from .blocks import main_blocks

    if method not in HTML_METHODS:
        raise InputError("method", f"unknown HTML method {method!r}; use {HTML_METHOD_CHOICES}")
    if method == "blocks":
        blocks, extract, document = page_parts(html, url=url, with_metadata=with_metadata)
        kept = main_blocks(blocks, extract)
        text = "\n".join(kept) if kept is not None else extract
        if _word_count(text) < _MIN_WORDS:
            text = extract
    else:
        options = _PRECISE_OPTIONS if method == "precise" else _TRAFILATURA_OPTIONS
        text, document = _trafilatura(html, url, with_metadata, options)
        text = _drop_boilerplate_lines(text)
    text = _drop_leading_title(text, _headlines(html, document))
    if _word_count(text) < _MIN_WORDS or (
        method != "blocks" and _page_words(html) >= _MISSED_RATIO * _word_count(text)
    ):
        try:
            _, fallback, _ = trafilatura.baseline(html)
        except (ValueError, TypeError, RecursionError):
            fallback = ""
        if _word_count(text) < _MIN_WORDS:
            if _word_count(fallback) > _word_count(text):
                text = fallback
        elif _missed_paragraphs(text, fallback):
            text = _drop_boilerplate_lines(fallback)
    return text, document


_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b")
# a tag that contains no other "<": linear on any input (no rescanning from each "<")
_PLAIN_TAG = re.compile(r"<[^<>]{0,2000}>")


def _page_words(html: str) -> int:
    """Words of the page's text outside scripts and styles: a cheap upper bound of what
    ``baseline`` can find, so that it runs only where it could change the result.

    Linear in the page, whatever its markup (unclosed scripts, runs of "<")."""
    lower = html.lower()
    parts: list[str] = []
    position = 0
    for match in _SCRIPT_OR_STYLE.finditer(lower):
        if match.start() < position:  # inside a script already skipped
            continue
        parts.append(html[position : match.start()])
        close = lower.find("</" + match.group(1), match.end())
        if close < 0:  # unclosed: the rest of the page is script
            position = len(html)
            break
        position = close
    parts.append(html[position:])
    return len(_PLAIN_TAG.sub(" ", " ".join(parts)).split())


def _missed_paragraphs(text: str, fallback: str) -> bool:
    """Whether trafilatura's extract missed most of the page's paragraphs.

    ``fallback`` is trafilatura's ``baseline`` (JSON-LD articleBody, <article>, or every
    paragraph of the page). When it holds at least ``_MISSED_RATIO`` times the words of the
    extract and what it adds reads like prose (lines of ``_PROSE_WORDS`` words or more on
    average, not menus or link lists), the extract kept only a part of the article: on
    WCXB, 16 of 793 pages, F1 0.9367 -> 0.9450; on ScrapingHub, 1 of 181, 0.9635 -> 0.9649.
    """
    if _word_count(fallback) < _MISSED_RATIO * max(_word_count(text), 1):
        return False
    kept = {line.strip() for line in text.split("\n") if line.strip()}
    added = [line for line in fallback.split("\n") if line.strip() and line.strip() not in kept]
    return bool(added) and sum(_word_count(x) for x in added) / len(added) >= _PROSE_WORDS


def _normalise(value: str) -> str:
    return " ".join(html_entities.unescape(_TAG.sub(" ", value)).split()).casefold()


def _headlines(html: str, document: Any) -> list[str]:
    """The headlines a page declares (normalised): metadata title, <title>, og/twitter, <h1>."""
    head = html[:_HEAD_CHARS]
    found = [getattr(document, "title", None) or ""]
    found += _TITLE_TAG.findall(head)[:1] + _META_TITLE.findall(head)[:2]
    found += [match.group(1) for _, match in zip(range(2), _H1.finditer(head), strict=False)]
    return [value for value in (_normalise(item) for item in found) if value]


def _drop_leading_title(text: str, headlines: list[str]) -> str:
    """``text`` without its first line when that line is the page's headline.

    The headline is the Article's ``title``; repeating it as the first line of the text
    counts it twice, and neither benchmark's main text includes it (measured: ScrapingHub
    F1 +0.004, WCXB +0.001; see BENCHMARKS.md). A title tag often adds the site name
    ("Headline | Site", "Headline - Site"): a line the headline starts with, followed by
    a separator, counts too. Lines under 8 characters are kept (too short to tell).
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return text
    line = _normalise(lines[first])
    if len(line) < 8:
        return text
    for headline in headlines:
        if headline == line or (
            headline.startswith(line)
            and len(headline) > len(line)
            and not headline[len(line)].isalnum()
        ):
            return "\n".join(lines[:first] + lines[first + 1 :])
    return text


def _drop_boilerplate_lines(text: str) -> str:
    from .boilerplate import is_page_furniture

    return "\n".join(line for line in text.split("\n") if not is_page_furniture(line))


# "Headline | Site", "Headline - Site", "Headline — Site"
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•»]\s+")


def _letters(text: str | None) -> str:
    return re.sub(r"\W+", "", (text or "").casefold())


def _host(url: str | None) -> str | None:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname if url else None
    except ValueError:
        return None


def without_site_name(title: str, sitename: str | None, host: str | None) -> str:
    """The page title without a trailing site name: "What is Cloud Computing? | Google Cloud"
    gives "What is Cloud Computing?" when the page's site name or host names "Google Cloud".

    Only the last part after a separator goes, only when it is at most five words that the
    site name or a label of the host contains or is contained in, and at least two words stay.
    On the 793 WCXB pages, titles equal to the ground truth's: 413 → 570 (BENCHMARKS.md).
    """
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title
    head, tail = title[: separators[-1].start()], title[separators[-1].end() :]
    if len(tail.split()) > 5 or len(head.split()) < 2:
        return title
    name = _letters(tail)
    labels = (host or "").removeprefix("www.").split(".")
    known = [_letters(sitename), _letters(host)] + [_letters(label) for label in labels[:-1]]
    if len(name) < 3:
        return title
    for site in known:
        if len(site) >= 3 and (name == site or (len(name) >= 4 and (name in site or site in name))):
            return head.strip()
    return title


def extract_main_text(html: str, *, method: str = "trafilatura") -> str:
    """The main text of an HTML page ("" when none is found); no metadata."""
    return _extract(html, method=method)[0]


def extract_html(
    html: str, source: str, url: str | None = None, *, method: str = "trafilatura"
) -> HtmlExtract:
    """Extract the main text and metadata of an HTML page; InputError when none is found.

    ``method``: ``trafilatura`` (default: the best balance of the two benchmarks),
    ``precise`` (leaves out decks and teasers: best on news pages) or ``blocks`` (the learned
    block model, best on blogs, guides and reviews); see ``BENCHMARKS.md``.
    """
    text, document = _extract(html, url=url, with_metadata=True, method=method)
    words = _word_count(text)
    if words < _MIN_ARTICLE_WORDS:
        raise InputError(
            source,
            f"no article text found in this HTML page (its main text has {words} word"
            f"{'s' * (words != 1)}; at least {_MIN_ARTICLE_WORDS} are needed)",
        )
    sitename = getattr(document, "sitename", None)
    host = _host(url) or getattr(document, "hostname", None)
    return HtmlExtract(
        text=text,
        title=without_site_name((getattr(document, "title", None) or "").strip(), sitename, host),
        published=_parse_date(getattr(document, "date", None)),
        author=getattr(document, "author", None),
        url=getattr(document, "url", None) or url,
        sitename=sitename,
        lang=getattr(document, "language", None),
    )
