"""Readers: files, strings and stdin to Articles.

``read`` is the entry point for a single article; ``read_many`` streams Articles from files,
folders, JSONL/CSV exports, WARC archives and stdin (see ``formats``). The format is chosen by
the file extension or, where there is none, by the content.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import re
import sys
import zlib
from pathlib import Path

from ..article import Article, normalize_text, strip_controls
from ..errors import InputError
from .boilerplate import split_boilerplate
from .decode import decode_bytes
from .formats import (
    RECORD_FORMATS,
    ArticleStream,
    FieldNames,
    ReadOptions,
    SkippedItem,
    format_from_name,
    printable,
    published_from_text,
    read_many,
)
from .html import extract_html, looks_like_html
from .language import detect_language, language_code

__all__ = [
    "ArticleStream",
    "FieldNames",
    "ReadOptions",
    "SkippedItem",
    "article_from_text",
    "read",
    "read_file",
    "read_many",
    "read_text",
]

_MAX_TITLE_CHARS = 200
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def _split_title(text: str) -> tuple[str, str]:
    """A short first line without final punctuation, followed by more text, is a headline."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    if (
        rest.strip()
        and 0 < len(first) <= _MAX_TITLE_CHARS
        and not re.search(r"[.!?。！？:;,]\s*[\"'”»]?$", first)
    ):
        return first, rest.strip()
    return "", text


def article_from_text(
    text: str,
    *,
    source: str = "<text>",
    title: str | None = None,
    lang: str | None = None,
    published: dt.date | str | None = None,
    url: str | None = None,
    author: str | None = None,
) -> Article:
    """Build a clean Article from plain text (HTML is detected and extracted).

    Boilerplate lines are removed and kept in ``Article.dropped``; the headline is taken from
    the first line when it looks like one and no ``title`` is given; the language is detected
    when not given. Raises InputError when no article text remains.
    """
    # lone surrogates (from JSON escapes or undecodable names) cannot be hashed or stored;
    # a NUL (JSON "\u0000") means nothing in a text and cuts strings short in SQLite and C;
    # escape sequences would drive the terminal of whoever reads the report
    text, source = strip_controls(printable(text)), printable(source)
    title, url, author = (
        None if x is None else strip_controls(printable(x)) for x in (title, url, author)
    )
    if looks_like_html(text):
        page = extract_html(text, source, url=url)
        text = strip_controls(page.text)
        title = title or (page.title and strip_controls(page.title))
        published = published or page.published
        author = author or (page.author and strip_controls(page.author))
        url = url or (page.url and strip_controls(page.url))
        lang = lang or page.lang
    lang = language_code(lang) if lang else None  # "en-GB", "eng", "English": "en"; "jp": None
    text = normalize_text(text)
    cleaned, dropped = split_boilerplate(text)
    if title is None:
        title, cleaned = _split_title(cleaned)
    if not re.search(r"\w", cleaned):
        if dropped:
            raise InputError(source, "nothing but boilerplate (comments, share lines) in this text")
        raise InputError(source, "no article text: there are no words to compare")
    if isinstance(published, str):
        published = published_from_text(published, source, lang)
    return Article(
        text=cleaned,
        title=(title or "").strip(),
        lang=lang or detect_language(f"{title or ''}\n{cleaned}"),
        published=published,
        url=url,
        author=author,
        source=source,
        dropped=tuple(d.line for d in dropped),
    )


def read_file(path: str | Path, options: ReadOptions | None = None) -> Article:
    """Read one article from a text or HTML file (optionally gzipped), or ``-`` for stdin.

    ``options``: the size limit and HTML method (``ReadOptions``; its defaults when None).
    """
    options = options or ReadOptions()
    if str(path) == "-":
        return article_from_text(decode_bytes(sys.stdin.buffer.read(), "<stdin>"), source="<stdin>")
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise InputError(source, "no such file; check the path")
    if path.is_dir():
        raise InputError(source, "is a folder; give one file per article")
    if format_from_name(path.name) in RECORD_FORMATS:
        return _single_record(path, options)
    limit = options.max_bytes
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # an oversized file is refused without reading it all
    except OSError as error:
        raise InputError(source, f"cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise InputError(source, f"larger than the {limit / 1e6:g} MB limit for one article")
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        try:
            # never decompress more than the limit: a small .gz can hold gigabytes
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(limit + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise InputError(source, f"corrupt gzip file ({error})") from None
        if len(data) > limit:
            raise InputError(
                source, f"larger than the {limit / 1e6:g} MB limit for one article, uncompressed"
            )
        suffixes = suffixes[:-1]
    text = decode_bytes(data, source)
    if suffixes and suffixes[-1] in _HTML_SUFFIXES:
        page = extract_html(text, source, method=options.html_method)
        return article_from_text(
            page.text,
            source=source,
            title=page.title or None,
            lang=page.lang,
            published=page.published,
            url=page.url,
            author=page.author,
        )
    return article_from_text(text, source=source)


def _single_record(path: Path, options: ReadOptions) -> Article:
    """The one article of a JSON, JSONL, CSV or WARC file; InputError when it holds none or
    several (a comparison takes one article a side)."""
    stream = read_many([path], errors="raise", options=options)
    found = list(itertools.islice(stream, 2))
    if not found:
        raise InputError(str(path), "holds no article")
    if len(found) > 1:
        raise InputError(
            str(path),
            "holds several articles and one is needed here; compare many pairs with "
            "`samestory compare --pairs`, or group a corpus with `samestory cluster`",
        )
    return found[0]


def read_text(text: str, **metadata: object) -> Article:
    """An Article from a string (plain text or HTML)."""
    return article_from_text(text, **metadata)  # type: ignore[arg-type]


def read(path_or_text: str | Path | Article) -> Article:
    """Read one article from a path, ``-`` (stdin), or the text itself.

    A ``Path``, ``-`` or a one-line string naming an existing file is read as a file; a
    single word with a file extension that names no file ("report.txt") is an InputError;
    any other string is taken as the article text.
    """
    if isinstance(path_or_text, Article):
        return path_or_text
    if not isinstance(path_or_text, str | Path):
        raise InputError(
            repr(path_or_text)[:60],
            f"not a path or a text (got {type(path_or_text).__name__}): give a path, '-' or "
            "the article's text as a string (decode bytes first)",
        )
    if isinstance(path_or_text, Path) or path_or_text == "-":
        return read_file(path_or_text)
    if "\n" not in path_or_text and len(path_or_text) < 4096:
        try:
            if Path(path_or_text).is_file() or Path(path_or_text).is_dir():
                return read_file(path_or_text)  # a folder: the error says to give a file
        except OSError:
            pass
        name = path_or_text.strip()
        if name and not any(c.isspace() for c in name) and format_from_name(name):
            # "report.txt" is a mistyped path, not an article
            raise InputError(name, "no such file; check the path (or pass the article's text)")
    return read_text(path_or_text)


from .._callable import make_module_callable  # noqa: E402

make_module_callable(__name__, read)
