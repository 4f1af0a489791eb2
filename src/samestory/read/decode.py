"""Bytes to text: encodings are detected, never assumed; binary data is refused."""

from __future__ import annotations

from ..errors import InputError

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters in the head."""
    head = data[:8192]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls > max(8, len(head) // 100)


def decode_bytes(data: bytes, source: str) -> str:
    """Decode ``data`` read from ``source`` (a file name, for messages).

    UTF-8 (with or without BOM) is tried first because it is by far the most common and
    cannot be confused with other encodings when it decodes cleanly; otherwise
    charset-normalizer picks the encoding.
    """
    if not data.strip():
        raise InputError(source, "the file is empty; give a file with the article text")
    if looks_binary(data):
        raise InputError(
            source, "this looks like a binary file, not text or HTML; give a .txt, .html or .jsonl file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            source, "the text cannot be decoded in any known encoding; save it as UTF-8 and retry"
        )
    return str(best)
