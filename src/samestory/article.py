"""The Article: one news report as read from a file, a record or a string."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

_SPACES = re.compile(r"\s+")
# Terminal escape sequences (colours, cursor moves, window titles) and the control characters
# left after them: a text read from a file or record must not drive the reader's terminal.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_]?)")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_C1 = re.compile(r"[\x80-\x9f]")


def _c1(match: re.Match[str]) -> str:
    try:  # text decoded as Latin-1 that was Windows-1252: \x93 \x94 are quotes, \x85 "…"
        return bytes([ord(match.group())]).decode("cp1252")
    except UnicodeDecodeError:
        return ""


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab, newline,
    carriage return and form feed kept); C1 characters become their Windows-1252 letters."""
    if not _CONTROLS.search(text) and not _C1.search(text) and "\x1b" not in text:
        return text
    return _C1.sub(_c1, _CONTROLS.sub("", _ESCAPES.sub("", text)))


def normalize_text(text: str) -> str:
    """Unicode-normalise (NFC), unify newlines and strip trailing spaces on each line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def cut_at_word(text: str, width: int) -> str:
    """``text`` cut at a word near ``width`` characters, an ellipsis marking the cut (a
    headline made from a first sentence, which may run for pages in an unpunctuated text)."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", width // 2, width)
    return text[: cut if cut > 0 else width - 1].rstrip(" ,;:") + "…"


def article_id(text: str, url: str | None = None) -> str:
    """Stable id of an article: a hash of its whitespace-normalised, case-folded text and url.

    The same article read twice (from a file, a JSONL record or an HTTP body) gets the same id.
    """
    key = _SPACES.sub(" ", normalize_text(text)).casefold() + "\x00" + (url or "").strip()
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Article:
    """One news report.

    ``text`` is the cleaned body (boilerplate already removed); ``dropped`` keeps the
    boilerplate lines that were removed, so that a report can show them. ``lang`` is an
    ISO 639-1 code, detected when the reader did not get one.
    """

    text: str
    title: str = ""
    lang: str | None = None
    published: dt.date | None = None
    url: str | None = None
    author: str | None = None
    source: str | None = None
    dropped: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        # ``published`` may come as text ("2014-03-12") or a datetime from a user's own code
        published: Any = self.published
        if isinstance(published, dt.datetime):
            object.__setattr__(self, "published", published.date())
        elif isinstance(published, str):
            from .read.formats import published_from_text

            parsed = (
                published_from_text(published, self.source or self.url or "Article", self.lang)
                if published.strip()
                else None
            )
            object.__setattr__(self, "published", parsed)
        elif published is not None and not isinstance(published, dt.date):
            from .errors import InputError

            raise InputError(
                self.source or self.url or "Article",
                f"publication date {published!r} is not a date ({type(published).__name__}); "
                "give a datetime.date or write it as YYYY-MM-DD",
            )

    @property
    def id(self) -> str:
        return article_id(self.text, self.url)

    @property
    def full_text(self) -> str:
        """Title and body as one text (the title is the first line when present)."""
        if self.title and not self.text.startswith(self.title):
            return f"{self.title}\n{self.text}"
        return self.text

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["id"] = self.id
        data["published"] = self.published.isoformat() if self.published else None
        data["dropped"] = list(self.dropped)
        return data
