"""Write the nasty-input corpus in this folder (run once; the files are committed).

    .venv/bin/python tests/nasty/make_nasty.py

Each file is a kind of broken input crawlers really produce. What every reader must do with
each one is in tests/test_robustness_nasty.py: return Articles or skip/raise samestory's own
error naming the file, never crash, never hang. Inputs too large to commit (an enormous single
line, a 50 MB file, a gzip bomb) and things git cannot hold (a FIFO) are made at test time.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORY = (
    "Floods hit the town of Riverside on Monday after three days of heavy rain.\n"
    "Hundreds of residents were evacuated by boat, the mayor, Ana Lopez, said.\n"
    "Forty homes were damaged and two bridges closed, officials told reporters.\n"
)
HTML = f"<html><head><title>Floods in Riverside</title></head><body><article><p>{STORY}</p></article></body></html>"


def _warc_record(kind: str, uri: str, payload: bytes, http: bool = True) -> bytes:
    block = payload
    if http:
        block = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2024-05-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{hashlib.md5(uri.encode()).hexdigest()}>\r\n"
        + ("Content-Type: application/http; msgtype=response\r\n" if http else "")
        + f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def files() -> dict[str, bytes]:
    story = STORY.encode()
    jsonl_ok = json.dumps({"title": "Floods in Riverside", "text": STORY}).encode()
    whole_gzip = gzip.compress(story * 20, mtime=0)
    return {
        # compression
        "truncated.txt.gz": whole_gzip[: len(whole_gzip) // 2],
        "truncated-records.jsonl.gz": gzip.compress((jsonl_ok + b"\n") * 40, mtime=0)[:300],
        "not-gzip.txt.gz": story,
        "gzip-of-nothing.txt.gz": gzip.compress(b"", mtime=0),
        "garbage-after-gzip.txt.gz": whole_gzip + b"\x00\x01garbage",
        "double-gzip.txt.gz": gzip.compress(whole_gzip, mtime=0),
        # encodings
        "invalid-utf8.txt": story + bytes(range(0x80, 0x100)) * 4 + story,
        "few-bad-bytes.txt": story.replace(b"Monday", b"Mon\xffday"),
        "mixed-encodings.txt": story
        + "Café crème à Zürich, señor.\n".encode("latin-1")
        + "“Quotes” – and a dash.\n".encode("cp1252")
        + "Москва сообщила.\n".encode("koi8-r"),
        "utf16-bom.txt": b"\xff\xfe" + STORY.encode("utf-16-le"),
        "utf16-truncated.txt": b"\xff\xfe" + STORY.encode("utf-16-le")[:-1],
        "utf16-no-bom.txt": STORY.encode("utf-16-le"),
        "bom-only.txt": b"\xef\xbb\xbf",
        "empty.txt": b"",
        "whitespace-only.txt": b" \n\t\r\n   \n",
        "control-characters.txt": bytes(range(1, 32)) * 8 + story,
        "binary-png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "nul-in-text.txt": story + b"\x00" + story,
        "zero-width-and-bidi.txt": (
            "\u202eFloods\u202c hit\u200b the\u200d town\ufeff of Riverside on Monday.\n" * 5
        ).encode(),
        "combining-marks.txt": (
            "Z" + "\u0301\u0308\u0327" * 300 + " floods hit the town.\n"
        ).encode(),
        "lone-cr-newlines.txt": story.replace(b"\n", b"\r"),
        "no-words.txt": b"... --- !!! 12345 ??? *** \n" * 20,
        # HTML
        "no-body.html": b"<html><head><title>Floods in Riverside</title></head></html>",
        "empty-body.html": b"<!doctype html><html><head></head><body></body></html>",
        "only-links.html": b"<html><body>" + b"<a href='/x'>Home</a> | " * 50 + b"</body></html>",
        "unclosed-tags.html": b"<html><body><p>" + story + b"<div><span><b><i><p>" * 200,
        "deeply-nested.html": b"<html><body>"
        + b"<div>" * 5000
        + b"<p>"
        + story
        + b"</p>"
        + b"</div>" * 5000
        + b"</body></html>",
        "deeply-nested-unclosed.html": b"<html><body>" + b"<div><b>" * 5000 + story,
        "script-only.html": b"<html><body><script>"
        + b"var x = '<p>not text</p>';" * 200
        + b"</script></body></html>",
        "bogus-charset.html": b'<html><head><meta charset="no-such-charset"></head><body><p>'
        + story
        + b"\xe9</p></body></html>",
        "wrong-charset.html": b'<html><head><meta charset="utf-16"></head><body><p>'
        + story
        + b"</p></body></html>",
        "entity-expansion.html": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c;&c;&c;'
        + story
        + b"</p></body></html>",
        "html-in-txt.txt": HTML.encode(),
        "comment-never-closed.html": b"<html><body><p>" + story + b"<!-- " + story * 5,
        # JSON lines and JSON
        "broken-lines.jsonl": b"\n".join(
            [
                jsonl_ok,
                b'{"title": "cut in the middle", "text": "Floods hit',
                b"not json at all",
                b"[1, 2, 3]",
                b'"a bare string"',
                b"null",
                b'{"text": null}',
                b'{"text": ""}',
                b'{"text": 12345}',
                b'{"text": ["Floods hit", {"no": "name"}, [1, [2]]], "title": {"name": {"name": 3}}}',
                b'{"text": "Floods \\ud800 hit the town of Riverside on Monday.", "title": "\\udfff"}',
                b'{"text": "'
                + STORY.replace("\n", " ").encode()
                + b'", "published": 1e400, "lang": 7}',
                b'{"text": "'
                + STORY.replace("\n", " ").encode()
                + b'", "published": "9999-99-99"}',
                b'{"text": "' + STORY.replace("\n", " ").encode() + b'", "published": -1e30}',
                b'{"text": "'
                + STORY.replace("\n", " ").encode()
                + b'", "published": NaN, "url": true}',
                b'{"text": 1' + b"0" * 5000 + b"}",
                b"[" * 5000 + b"]" * 5000,
                b"\xff\xfe{broken bytes}",
                b"",
                b"   ",
                jsonl_ok.replace(b"Riverside", b"Riverside \xe9t\xe9"),
            ]
        ),
        "deep.json": b"[" * 20000 + b"]" * 20000,
        "scalar.json": b"42",
        "truncated.json": b'{"articles": [' + jsonl_ok + b", " + jsonl_ok[:40],
        "objects-per-line.json": (jsonl_ok + b"\n") * 3,
        "wrapper.json": json.dumps({"items": [{"text": STORY}, None, 5, {"body": ""}]}).encode(),
        # CSV
        "broken.csv": b"title,text\n"
        + b'"Floods","'
        + story.replace(b"\n", b" ")
        + b'"\n'
        + b'"unterminated quote,'
        + story
        + b"\n"
        + b"a,b,c,d,e,f\n"
        + b"\x00,\x00\n"
        + b"only-one-column\n",
        "header-only.csv": b"title,text\n",
        "no-text-column.csv": b"foo,bar\n1,2\n3,4\n",
        "duplicate-columns.csv": b"text,text\n" + story.replace(b"\n", b" ") + b",second\n",
        "latin1.csv": ("title,text\nCafé,Floods hit the café in Zürich on Monday, señor.\n").encode(
            "latin-1"
        ),
        "broken.tsv": b'title\ttext\n"x\t' + story + b"\n\t\t\t\n",
        # WARC
        "empty.warc": b"",
        "empty-records.warc": _warc_record("response", "https://news.example/empty", b"")
        + _warc_record("resource", "https://news.example/nothing", b"", http=False)
        + _warc_record("response", "https://news.example/floods", HTML.encode()),
        "not-a-warc.warc": story,
        "bad-content-length.warc": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999\r\n\r\nshort",
        "negative-length.warc": b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: -5\r\n\r\nshort",
        "truncated.warc.gz": gzip.compress(
            _warc_record("response", "https://news.example/floods", HTML.encode()) * 3, mtime=0
        )[:400],
        "garbage-between-records.warc": _warc_record(
            "response", "https://news.example/a", HTML.encode()
        )
        + b"GARBAGE GARBAGE\r\n\r\n"
        + _warc_record("response", "https://news.example/b", HTML.encode()),
        # a name with spaces, quotes and non-ASCII letters
        "naïve 'quoted' “name”.txt": story,
    }


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files())} files to {HERE}")


if __name__ == "__main__":
    main()
