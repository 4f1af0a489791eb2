"""Bytes to text: encodings are detected, never assumed; binary data is refused."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13, 27}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
# A text with this share of undecodable bytes is still worth reading (replaced by U+FFFD);
# more than that and it is not text in any encoding we know.
_MAX_REPLACED_SHARE = 0.02


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters in the head."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls > max(8, len(head) // 100)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag, when it is a known codec."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    return _known_codec(match.group(1).decode("ascii", "ignore"))


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# The Windows code page of each language written in Latin letters. A text in one of them
# whose bytes are mostly ASCII is guessed poorly by byte statistics alone: charset-normalizer
# read English with one "£" (0xA3) as Central European ("Ł") and French as Czech ("č" for
# "è"). The ASCII letters say the language, and the language says the code page.
_LATIN_CODE_PAGES = {
    **dict.fromkeys(
        ("en", "fr", "de", "es", "it", "pt", "nl", "da", "sv", "no", "nb", "nn", "fi", "ca",
         "ga", "is", "af", "eu", "gl", "id", "ms", "sw", "so"),
        "cp1252",
    ),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "hr", "sl", "ro", "bs", "sq"), "cp1250"),
    "tr": "cp1254", "az": "cp1254", "lt": "cp1257", "lv": "cp1257", "et": "cp1257",
}  # fmt: skip
_SINGLE_BYTE_LATIN = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp437", "cp775", "cp850", "cp852", "cp858",
    "latin_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13",
    "iso8859_14", "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2", "mac_iceland",
    "mac_turkish",
}  # fmt: skip


def guess_encoding(data: bytes) -> str | None:
    """The encoding of bytes that are not UTF-8: charset-normalizer's guess, or, when that is a
    Latin single-byte code page, the code page of the language the text is in (when the bytes
    decode with it). None when there is no guess."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or not best.encoding:
        return None
    encoding: str = best.encoding
    if encoding.replace("-", "_") not in _SINGLE_BYTE_LATIN:
        return encoding
    from .language import detect_language

    try:
        text = data[:20_000].decode(encoding, errors="replace")
    except LookupError:
        return encoding
    wanted = _LATIN_CODE_PAGES.get(detect_language(text[:4000], default=""))
    if wanted is None or wanted == encoding:
        return encoding
    try:
        data.decode(wanted)
    except UnicodeDecodeError:
        return encoding
    return wanted


def decode_bytes(data: bytes, source: str, *, declared: str | None = None) -> str:
    """Decode ``data`` read from ``source`` (a file name, for messages).

    UTF-8 (with or without BOM) is tried first because it is by far the most common and
    cannot be confused with other encodings when it decodes cleanly; then the encoding the
    transport (``declared``, e.g. an HTTP header) or the page's ``<meta charset>`` names;
    then charset-normalizer's guess. Text with a few broken bytes is decoded with
    replacement characters rather than refused.
    """
    if not data.strip():
        raise InputError(source, "the file is empty; give a file with the article text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # a UTF-16 file cut at an odd byte or holding broken pairs: replace what is broken
        text = data.decode("utf-16", errors="replace")
        if text.count("\ufffd") <= _MAX_REPLACED_SHARE * max(1, len(text)):
            return text
        raise InputError(
            source, "the text is not valid UTF-16 (as its byte-order mark says); save it as UTF-8"
        )
    if looks_binary(data):
        raise InputError(
            source,
            "this looks like a binary file, not text or HTML; give a .txt, .html, .jsonl, .csv "
            "or .warc file",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for name in (_known_codec(declared), declared_charset(data)):
        if name and name != "utf-8":
            try:
                return data.decode(name)
            except (UnicodeDecodeError, LookupError):
                pass

    guess = guess_encoding(data)
    if guess is not None:
        try:
            return data.decode(guess)
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= _MAX_REPLACED_SHARE * max(1, len(text)):
        return text
    raise InputError(
        source, "the text cannot be decoded in any known encoding; save it as UTF-8 and retry"
    )


def read_text_file(path: Path, expected: str) -> str:
    """The text of a whole file (a benchmark file, a list of pairs): gzip found by its magic
    bytes, the encoding detected as for articles. ``expected`` says what the file should be,
    for the InputError raised when it is missing, a folder, unreadable, corrupt or binary."""
    import gzip
    import zlib

    source = str(path)
    if path.is_dir():
        raise InputError(source, f"is a folder; give {expected}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(source, f"no such file; give {expected}") from None
    except OSError as error:
        raise InputError(source, f"cannot be read ({error.strerror or error})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise InputError(
                source, f"corrupt or truncated gzip data ({error}); re-download or re-compress it"
            ) from None
    if not data.strip():
        raise InputError(source, f"the file is empty; give {expected}")
    if looks_binary(data):
        raise InputError(source, f"this looks like a binary file, not text; give {expected}")
    return decode_bytes(data, source)
