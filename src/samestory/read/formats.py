"""Many articles from many inputs: files, folders, stdin, JSONL/CSV exports and WARC archives.

``read_many`` walks its inputs lazily (a folder of 100k files is never listed into memory at
once, a JSONL file is read line by line, a WARC file record by record) and yields Articles.
A bad item (an unreadable file, a corrupt gzip, a broken WARC record, a page without article
text, an oversized page) never stops the batch: it becomes a ``SkippedItem`` (file, record,
reason) that the caller receives and the stream counts.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import email.utils
import fnmatch
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import IO, Any, Literal

from ..article import Article
from ..errors import InputError
from .decode import decode_bytes

# Formats by the last suffix left after ``.gz`` is stripped.
_SUFFIX_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "tsv",
    ".warc": "warc", ".arc": "warc",
}  # fmt: skip
# Formats that hold many records (articles) in one file.
RECORD_FORMATS = {"json", "jsonl", "csv", "tsv", "warc"}

ErrorPolicy = Literal["skip", "raise"] | Callable[["SkippedItem"], None]


@dataclass(frozen=True, kw_only=True)
class FieldNames:
    """Which record fields (JSON keys, CSV columns) hold each part of an article.

    Each part lists candidate names, tried in order; the first present, non-empty one wins.
    The defaults cover the names common exports use (feeds, news APIs, crawler dumps).
    """

    text: tuple[str, ...] = (
        "text", "content", "body", "article", "articleBody", "maintext", "main_content",
        "full_text", "description",
    )  # fmt: skip
    title: tuple[str, ...] = ("title", "headline", "name")
    url: tuple[str, ...] = ("url", "link", "uri", "canonical_url", "source_url")
    published: tuple[str, ...] = (
        "published", "date", "published_at", "publish_date", "pubdate", "datePublished",
        "date_publish", "created_at", "timestamp",
    )  # fmt: skip
    lang: tuple[str, ...] = ("lang", "language", "locale")
    author: tuple[str, ...] = ("author", "authors", "byline", "creator")
    # the outlet, when a record names it (NewsAPI's {"source": {"name": "Reuters"}}); else
    # the article's source is where it was read (file#record)
    source: tuple[str, ...] = ("source", "outlet", "publisher", "site_name", "sitename")
    # The names a user gave (``with_overrides``): a CSV whose header lacks one is skipped with
    # a clear reason instead of silently falling back to the usual names.
    given: tuple[str, ...] = ()

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, str | Iterable[str]] | None) -> FieldNames:
        """Defaults, with the names in ``overrides`` tried first (``{"text": "story"}``)."""
        if not overrides:
            return cls()
        base = cls()
        known = {f.name for f in fields(cls)} - {"given"}
        changes: dict[str, tuple[str, ...]] = {}
        for part, names in overrides.items():
            if part not in known:
                choices = ", ".join(sorted(known))
                raise InputError("fields", f"unknown article part {part!r}; use one of {choices}")
            first = (names,) if isinstance(names, str) else tuple(names)
            changes[part] = first + tuple(n for n in getattr(base, part) if n not in first)
        given = tuple(name for part in changes for name in changes[part][:1])
        return replace(base, **changes, given=given)


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    """How ``read_many`` reads its inputs."""

    # Files in folders whose name (or path below the folder) matches; None: the known formats.
    glob: str | None = None
    fields: FieldNames = field(default_factory=FieldNames)
    # A news page is rarely over 2 MB; a 10 MB one is a dump or an attack, and extraction
    # time grows with page size, so larger items are skipped (raise it to read them anyway).
    max_bytes: int = 10_000_000
    # How HTML main text is found: "trafilatura" (default, the best balance), "precise"
    # (article body only, best on news pages) or "blocks" (the learned block model, best on
    # blogs and guides); see read.html and BENCHMARKS.md.
    html_method: str = "trafilatura"

    def __post_init__(self) -> None:
        from .html import HTML_METHOD_CHOICES, HTML_METHODS

        if self.max_bytes <= 0:
            raise InputError("max_bytes", f"must be positive, got {self.max_bytes}")
        if self.html_method not in HTML_METHODS:
            raise InputError(
                "html_method", f"{self.html_method!r} is unknown; use {HTML_METHOD_CHOICES}"
            )


@dataclass(frozen=True)
class SkippedItem:
    """An input item that could not be read: which file, which record in it, and why."""

    file: str
    record: str | None
    reason: str

    def to_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "record": self.record, "reason": self.reason}

    def __str__(self) -> str:
        where = f"{self.file} ({self.record})" if self.record else self.file
        return f"{where}: {self.reason}"


class ArticleStream(Iterator[Article]):
    """The Articles of ``read_many``, read lazily; ``skipped`` lists the items that failed.

    ``articles`` and ``skipped`` count what has been read so far.
    """

    def __init__(
        self, inputs: Iterable[str | Path], options: ReadOptions, errors: ErrorPolicy
    ) -> None:
        if errors not in ("skip", "raise") and not callable(errors):
            raise InputError("errors", f"must be 'skip', 'raise' or a callable, got {errors!r}")
        self.options = options
        self.errors = errors
        self.skipped: list[SkippedItem] = []
        self.articles = 0
        self._items = self._generate(inputs)

    def __iter__(self) -> ArticleStream:
        return self

    def __next__(self) -> Article:
        return next(self._items)

    def _generate(self, inputs: Iterable[str | Path]) -> Iterator[Article]:
        stdin_read = False
        for item in inputs:
            again = str(item) == "-" and stdin_read
            stdin_read = stdin_read or str(item) == "-"
            results = (
                [SkippedItem("<stdin>", None, "standard input can be read once; give - only once")]
                if again
                else _read_input(item, self.options)
            )
            for result in results:
                if isinstance(result, SkippedItem):
                    self.skipped.append(result)
                    if self.errors == "raise":
                        raise InputError(
                            f"{result.file} ({result.record})" if result.record else result.file,
                            result.reason,
                        )
                    if callable(self.errors):
                        self.errors(result)
                else:
                    self.articles += 1
                    yield result


def read_many(
    inputs: str | Path | Iterable[str | Path],
    *,
    glob: str | None = None,
    fields: Mapping[str, str | Iterable[str]] | None = None,
    errors: ErrorPolicy = "skip",
    options: ReadOptions | None = None,
) -> ArticleStream:
    """Read Articles lazily from files, folders (recursive) and ``-`` (stdin).

    Formats: ``.txt``, ``.html``/``.htm``, ``.json``/``.jsonl``, ``.csv``/``.tsv``,
    ``.warc``/``.warc.gz`` and a ``.gz`` of any of them; a file with another name is sniffed.
    ``glob`` picks files in folders (default: the known formats); ``fields`` names the record
    fields to use first, e.g. ``{"text": "story", "published": "pubDate"}``.

    ``errors``: ``"skip"`` (default) skips bad items and lists them in ``stream.skipped``;
    ``"raise"`` raises InputError at the first one; a callable gets each ``SkippedItem`` as it
    happens (and the item is skipped).
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if options is None:
        options = ReadOptions(glob=glob, fields=FieldNames.with_overrides(fields))
    elif glob is not None or fields is not None:
        options = replace(
            options,
            glob=glob if glob is not None else options.glob,
            fields=FieldNames.with_overrides(fields) if fields is not None else options.fields,
        )
    return ArticleStream(inputs, options, errors)


# --- walking inputs ------------------------------------------------------------------------

Result = Article | SkippedItem


def _read_input(item: str | Path, options: ReadOptions) -> Iterator[Result]:
    if str(item) == "-":
        yield from _read_stream(sys.stdin.buffer, "<stdin>", None, options)
        return
    path = Path(item)
    if path.is_dir():
        found = False
        for file in iter_folder(path, options.glob):
            found = True
            yield from _read_path(file, options)
        if not found:
            wanted = (
                f"files matching --glob {options.glob!r}"
                if options.glob is not None
                else "files of a known format (" + " ".join(sorted(_SUFFIX_FORMATS)) + ")"
            )
            yield SkippedItem(printable(str(path)), None, f"a folder without {wanted}")
    elif path.exists():
        yield from _read_path(path, options)
    else:
        yield SkippedItem(printable(str(path)), None, "no such file or folder; check the path")


def iter_folder(folder: Path, pattern: str | None = None) -> Iterator[Path]:
    """Files below ``folder`` in a stable order, one directory listing in memory at a time.

    Hidden files and folders are left out. Without ``pattern`` the files of known formats are
    yielded; with it, those whose name or path relative to ``folder`` matches it.
    """
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if not _is_regular_file(path):
                continue  # a FIFO or socket would block the reader forever; a device is no text
            if pattern is None:
                if format_from_name(name) is None:
                    continue
            else:
                relative = path.relative_to(folder).as_posix()
                if not (fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(relative, pattern)):
                    continue
            yield path


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:  # a dangling link: reading it names the problem
        return path.is_symlink()


def format_from_name(name: str) -> str | None:
    """The format a file name says ("jsonl" for "day.jsonl.gz"), or None when it says none."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    if suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes = suffixes[:-1]
    return _SUFFIX_FORMATS.get(suffixes[-1]) if suffixes else None


def _read_path(path: Path, options: ReadOptions) -> Iterator[Result]:
    source = printable(str(path))
    try:
        handle = path.open("rb")
    except OSError as error:
        yield SkippedItem(source, None, f"cannot be read ({error.strerror or error})")
        return
    with handle:
        gzip_named = path.suffix.lower() in (".gz", ".gzip")
        yield from _read_stream(handle, source, format_from_name(path.name), options, gzip_named)


def _read_stream(
    raw: IO[bytes], source: str, fmt: str | None, options: ReadOptions, gzip_named: bool = False
) -> Iterator[Result]:
    """Read one file-like input; gzip is detected by its magic bytes, not only its name."""
    stream: Any = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
    try:
        head = stream.peek(2)[:2]
    except OSError as error:
        yield SkippedItem(source, None, f"cannot be read ({error})")
        return
    if head == b"\x1f\x8b":
        stream = io.BufferedReader(gzip.GzipFile(fileobj=stream, mode="rb"))
    elif gzip_named:
        yield SkippedItem(source, None, "named .gz but not gzip data; rename or re-compress it")
        return
    try:
        if fmt is None:
            fmt = _sniff_format(stream.peek(4096)[:4096], options.fields.text)
        if fmt in RECORD_FORMATS:
            yield from _RECORD_READERS[fmt](stream, source, options)
        else:
            yield from _read_single(stream, source, fmt, options)
    except (OSError, EOFError, zlib.error) as error:
        yield SkippedItem(source, None, f"corrupt or truncated compressed data ({error}); "
                          "re-download or re-compress the file")  # fmt: skip


def _sniff_format(head: bytes, text_fields: Iterable[str] = FieldNames.text) -> str:
    """The format of an input without a telling name (stdin, a file without extension).

    A CSV or TSV is recognised by a header row naming a text column ("title,text,url"); a
    text whose first line merely holds commas stays a text.
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"WARC/"):
        return "warc"
    if text.startswith(b"{"):
        return "jsonl"
    if text.startswith(b"["):
        return "json"
    lowered = text[:2000].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in lowered:
        return "html"
    first_line = text.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
    wanted = {name.casefold() for name in text_fields}
    for delimiter, fmt in (("\t", "tsv"), (",", "csv")):
        cells = [c.strip().strip('"').casefold() for c in first_line.split(delimiter)]
        if len(cells) >= 2 and wanted & set(cells) and len(first_line) <= 500:
            return fmt
    return "text"


def _read_limited(stream: IO[bytes], limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``stream``; None when there is more."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _too_big(options: ReadOptions) -> str:
    return (
        f"larger than the {options.max_bytes / 1e6:g} MB limit for one article; "
        "raise the limit (--max-size, ReadOptions.max_bytes) to read it"
    )


def _read_single(
    stream: IO[bytes], source: str, fmt: str | None, options: ReadOptions
) -> Iterator[Result]:
    from . import article_from_text
    from .html import extract_html

    data = _read_limited(stream, options.max_bytes)
    if data is None:
        yield SkippedItem(source, None, _too_big(options))
        return
    try:
        text = decode_bytes(data, source)
        if fmt == "html":
            page = extract_html(text, source, method=options.html_method)
            article = article_from_text(
                page.text, source=source, title=page.title or None, lang=page.lang,
                published=page.published, url=page.url, author=page.author,
            )  # fmt: skip
        else:
            article = article_from_text(text, source=source)
    except InputError as error:
        yield SkippedItem(source, None, error.reason)
        return
    yield article


# --- records -------------------------------------------------------------------------------


def _text_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, str | None]]:
    """Numbered lines of a UTF-8 stream (a BOM is dropped; bad bytes become U+FFFD).

    A line longer than ``limit`` bytes is yielded as None, and never held in memory whole:
    a gzip bomb or a dump without newlines must not exhaust memory.
    """
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line.decode("utf-8", "replace")


def _read_jsonl(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Result]:
    for number, line in _text_lines(stream, options.max_bytes):
        record_name = f"line {number}"
        if line is None:
            yield SkippedItem(source, record_name, _too_big(options))
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            reason = f"not valid JSON ({error.msg}, column {error.colno})"
            yield SkippedItem(source, record_name, reason)
            continue
        except (RecursionError, ValueError) as error:  # nesting too deep, a huge integer
            yield SkippedItem(
                source, record_name, f"JSON this reader refuses ({_first_line(error)})"
            )
            continue
        yield _record_to_article(value, source, record_name, options)


def _first_line(error: BaseException) -> str:
    return str(error).split("\n", 1)[0][:200]


def _read_json(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Result]:
    data = _read_limited(stream, max(options.max_bytes, 200_000_000))
    if data is None:
        yield SkippedItem(source, None, "JSON file over 200 MB; write it as JSON lines (.jsonl)")
        return
    try:
        value = json.loads(decode_bytes(data, source))
    except InputError as error:
        yield SkippedItem(source, None, error.reason)
        return
    except json.JSONDecodeError as error:
        # One object per line in a .json file is common: fall back to JSON lines.
        if error.msg == "Extra data":
            yield from _read_jsonl(io.BytesIO(data), source, options)
        else:
            yield SkippedItem(source, None, f"not valid JSON ({error.msg}, line {error.lineno})")
        return
    except (RecursionError, ValueError) as error:  # nesting too deep, a huge integer
        yield SkippedItem(source, None, f"JSON this reader refuses ({_first_line(error)})")
        return
    if isinstance(value, dict):
        for key in ("articles", "items", "data", "results", "records"):
            if isinstance(value.get(key), list):
                value = value[key]
                break
    records = value if isinstance(value, list) else [value]
    for index, record in enumerate(records, start=1):
        yield _record_to_article(record, source, f"item {index}", options)


def _read_csv(stream: Any, source: str, options: ReadOptions, delimiter: str) -> Iterator[Result]:
    csv.field_size_limit(max(options.max_bytes, 1 << 20))
    head = stream.peek(65536)[:65536] if hasattr(stream, "peek") else b""
    encoding = _guess_encoding(head) if head else "utf-8"
    if delimiter == ",":
        delimiter = _comma_or_semicolon(head.split(b"\n", 1)[0])
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    header: list[str] | None = None
    named = False
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            if header is not None and row == 1 and named:
                yield SkippedItem(source, None, "a header row and no records under it")
            return
        except csv.Error as error:
            yield SkippedItem(source, f"row {reader.line_num}", f"broken CSV row ({error})")
            continue
        if not cells:  # a blank line
            continue
        row += 1
        if header is None:
            named = _looks_like_header(cells, options.fields)
            header = (
                [cell.strip() for cell in cells]
                if named
                else _numbered_columns(cells, options.fields)
            )
            missing = _missing_columns(header, options.fields)
            if missing:
                yield SkippedItem(source, None, missing)
                return
            if named:
                continue
        # cells beyond the header's columns are dropped; missing ones are absent
        record = dict(zip(header, cells, strict=False))
        yield _record_to_article(record, source, f"row {row}", options)


def _comma_or_semicolon(first_line: bytes) -> str:
    """The separator of a ``.csv``: a semicolon where the first line has more of them than
    commas (spreadsheets in much of Europe write ``;`` because ``,`` is their decimal mark)."""
    unquoted = re.sub(rb'"[^"]*"', b"", first_line)  # a quoted text may hold either
    return ";" if unquoted.count(b";") > unquoted.count(b",") else ","


def _missing_columns(header: list[str], names: FieldNames) -> str | None:
    """Why a CSV cannot be read as asked: a column named with ``--field`` that it lacks."""
    present = {column.lower() for column in header}
    missing = [name for name in names.given if name.lower() not in present]
    if not missing:
        return None
    columns = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
    return (
        f"no column {missing[0]!r}, named with --field (FieldNames); its columns are: {columns} "
        "(a file without a header row numbers them 1, 2, ...)"
    )


def _looks_like_header(cells: list[str], names: FieldNames) -> bool:
    """Whether a CSV's first row names its columns (else the file has no header row).

    A header names a known article part, or holds only short labels; a row with a number
    alone in a cell or a sentence in one (``12<TAB>Storm hits the coast ...``) is data.
    """
    known = {name.lower() for part in fields(names) for name in getattr(names, part.name)}
    labels = [cell.strip() for cell in cells]
    if any(label.lower() in known for label in labels):
        return True
    return all(
        len(label) <= 40 and len(label.split()) <= 4 and not _NUMBER.fullmatch(label)
        for label in labels
    )


_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def _numbered_columns(first: list[str], names: FieldNames) -> list[str]:
    """Column names of a CSV without a header row: ``1``, ``2``, ... (``--field text=2``).

    Unless a column was named for the text, the column whose first cell is longest is read
    as the text.
    """
    header = [str(number) for number in range(1, len(first) + 1)]
    if names.text[0] not in header and names.text[0] not in names.given:
        longest = max(range(len(first)), key=lambda i: len(first[i]))
        header[longest] = names.text[0]
    return header


def _guess_encoding(head: bytes) -> str:
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as error:
        if error.start > len(head) - 4:  # a character cut at the end of the sample
            return "utf-8-sig"
    from .decode import guess_encoding

    return guess_encoding(head) or "utf-8"


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = record.get(name, lowered.get(name.lower()))
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any, depth: int = 0) -> str | None:
    if value is None or depth > 8:  # an author list is one or two levels deep, not hundreds
        return None
    if isinstance(value, list):
        return ", ".join(str(_as_text(v, depth + 1)) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("value") or value.get("text"), depth + 1)
    return printable(str(value))


def printable(text: str) -> str:
    """``text`` with lone surrogates (JSON ``\\ud800`` escapes, undecodable file names) replaced.

    They cannot be written as UTF-8, so an Article holding one could be neither hashed nor
    stored.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def parse_date(value: Any, lang: str | None = None) -> dt.date | None:
    """A publication date from ISO strings, RFC 2822 (feeds), Unix timestamps (seconds or
    milliseconds, as numbers or digit strings) or YYYYMMDD numbers, then from a written date
    with day, month and year ("March 5, 2020", "05/03/2020", "5 de marzo de 2020"; through
    dateparser, day or month first as ``lang`` writes them); else None. Relative dates
    ("yesterday") are not publication dates here: there is no day to count from."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or re.fullmatch(r"\d{8}", text):
        compact = _compact_date(text)
        if compact is not None:  # 20210101 is a date, not 20 million seconds after 1970
            return compact
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        number = float(value)
        seconds = number / 1000 if number > 1e11 else number
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    return _written_date(text, lang)


def published_from_text(value: str, source: str, lang: str | None = None) -> dt.date:
    """A publication date given as text (``parse_date``); InputError naming ``source`` when
    it is not one. The check both ``article_from_text`` and ``Article`` make of a string."""
    parsed = parse_date(value, lang)
    if parsed is None:
        raise InputError(
            source, f"publication date {value!r} is not a date; write it as YYYY-MM-DD"
        )
    return parsed


_DATE_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],
}


def _written_date(text: str, lang: str | None) -> dt.date | None:
    if len(text) > 64 or not re.search(r"\d", text):
        return None
    import dateparser  # ~0.3 s to import: only for dates that are not ISO or RFC 2822

    try:
        parsed = dateparser.parse(text, languages=[lang] if lang else None, settings=_DATE_SETTINGS)
    except (ValueError, TypeError, OverflowError):
        return None
    return parsed.date() if parsed else None


def _compact_date(digits: str) -> dt.date | None:
    """``YYYYMMDD`` as a date when it is one between 1900 and 2100."""
    if len(digits) != 8 or not "1900" <= digits[:4] <= "2100":
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _record_to_article(record: Any, source: str, record_name: str, options: ReadOptions) -> Result:
    from . import article_from_text

    if not isinstance(record, dict):
        return SkippedItem(source, record_name, "not a JSON object with article fields")
    names = options.fields
    text = _as_text(_first(record, names.text))
    if not text or not text.strip():
        wanted = ", ".join(names.text[:4])
        reason = f"no article text (looked for the fields {wanted} ...; name yours with --field or FieldNames)"
        return SkippedItem(source, record_name, reason)
    if len(text) > options.max_bytes:
        return SkippedItem(source, record_name, _too_big(options))
    raw_date = _first(record, names.published)
    lang = _as_text(_first(record, names.lang))
    try:
        outlet = _as_text(_first(record, names.source))
        article = article_from_text(
            text,
            source=outlet.strip()
            if outlet and outlet.strip()
            else f"{source}#{record_name.split()[-1]}",
            title=_as_text(_first(record, names.title)),
            lang=lang,
            published=parse_date(raw_date, lang),
            url=_as_text(_first(record, names.url)),
            author=_as_text(_first(record, names.author)),
        )
    except InputError as error:
        return SkippedItem(source, record_name, error.reason)
    if raw_date is not None and article.published is None:
        article.meta["published_raw"] = str(raw_date)
    return article


# --- WARC ----------------------------------------------------------------------------------


def _read_warc(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Result]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        records = ArchiveIterator(stream, arc2warc=True)
    except ArchiveLoadFailed as error:
        yield SkippedItem(source, None, f"not a readable WARC file ({error})")
        return
    number = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as error:  # warcio raises assorted errors on malformed archives
            yield SkippedItem(source, f"record {number + 1}", f"broken WARC record, the rest of "
                              f"the file cannot be read ({error})")  # fmt: skip
            return
        number += 1
        result = _warc_record(record, source, number, options)
        if result is not None:
            yield result


def _warc_record(record: Any, source: str, number: int, options: ReadOptions) -> Result | None:
    from . import article_from_text
    from .html import extract_html

    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    name = f"record {number}" + (f" {url}" if url else "")
    content_type = ""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return None  # redirects and errors are part of a crawl, not articles
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type and not any(kind in content_type.lower() for kind in ("html", "text/plain")):
        return None  # images, scripts, style sheets
    try:
        data = _read_limited(record.content_stream(), options.max_bytes)
    except Exception as error:  # a truncated or mis-encoded body, whatever warcio raises
        return SkippedItem(source, name, f"broken record body ({error})")
    if data is None:
        return SkippedItem(source, name, _too_big(options))
    if not data.strip():
        return SkippedItem(source, name, "empty response record")
    declared = _charset(content_type)
    try:
        text = decode_bytes(data, f"{source}#{number}", declared=declared)
        if "html" in content_type.lower() or not content_type:
            page = extract_html(text, source, url=url, method=options.html_method)
            text, title = page.text, page.title or None
            published, author = page.published, page.author
        else:
            title, published, author = None, None, None
        return article_from_text(
            text, source=f"{source}#{number}", title=title, published=published, url=url,
            author=author,
        )  # fmt: skip
    except InputError as error:
        return SkippedItem(source, name, error.reason)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


_RECORD_READERS: dict[str, Callable[[IO[bytes], str, ReadOptions], Iterator[Result]]] = {
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": lambda s, src, o: _read_csv(s, src, o, ","),
    "tsv": lambda s, src, o: _read_csv(s, src, o, "\t"),
    "warc": _read_warc,
}

__all__ = [
    "ArticleStream",
    "FieldNames",
    "ReadOptions",
    "SkippedItem",
    "iter_folder",
    "parse_date",
    "read_many",
]
