"""Every reader on every file of tests/nasty/ (real broken inputs) and on huge generated ones.

Each reader either returns Articles or raises samestory's own error naming the file (the
batch reader skips the item and says why); nothing else escapes, nothing hangs, and memory
stays bounded on 50 MB inputs. The corpus is written by tests/nasty/make_nasty.py.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from _robustness import outcome
from samestory.article import Article
from samestory.errors import SamestoryError
from samestory.read import read, read_file, read_many

NASTY = Path(__file__).resolve().parent / "nasty"
FILES = sorted(p for p in NASTY.iterdir() if p.is_file() and p.name != "make_nasty.py")
SENTENCE = "Floods hit the town of Riverside on Monday and hundreds of residents left by boat. "


def _check_stream(path: Path, name: str) -> list[Article]:
    stream = read_many(path)
    articles = outcome(f"nasty-{name}", lambda: list(stream))
    assert isinstance(articles, list), articles
    for article in articles:
        assert isinstance(article, Article) and article.text.strip()
        article.id.encode("utf-8")  # hashable and storable: no lone surrogates
    for item in stream.skipped:
        assert path.name in item.file and item.reason.strip()
    return articles


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_reader_on_a_nasty_file(path: Path) -> None:
    for call in (lambda: read_file(path), lambda: read(path), lambda: read(str(path))):
        result = outcome("nasty-read_file", call, names=path.name)
        assert isinstance(result, Article | SamestoryError)
    _check_stream(path, "read_many")
    raised = outcome("nasty-read_many-raise", lambda: list(read_many(path, errors="raise")),
                     names=path.name)  # fmt: skip
    assert isinstance(raised, list | SamestoryError)


def test_the_corpus_has_the_kinds_the_issue_names() -> None:
    names = {p.name for p in FILES}
    for kind in ("truncated.txt.gz", "invalid-utf8.txt", "mixed-encodings.txt", "no-body.html",
                 "deeply-nested.html", "empty-records.warc", "broken-lines.jsonl"):  # fmt: skip
        assert kind in names


def test_what_the_nasty_files_still_give() -> None:
    """Broken files keep their readable parts: good JSON lines, WARC records, CSV rows."""
    good_lines = _check_stream(NASTY / "broken-lines.jsonl", "read_many")
    assert 5 <= len(good_lines) <= 10
    assert any("\ufffd" in a.text or "?" in a.text for a in good_lines)  # the \ud800 line
    assert len(_check_stream(NASTY / "empty-records.warc", "read_many")) == 1
    assert len(_check_stream(NASTY / "garbage-between-records.warc", "read_many")) >= 1
    assert _check_stream(NASTY / "broken.csv", "read_many")
    assert read_file(NASTY / "mixed-encodings.txt").text.startswith("Floods hit")
    assert read_file(NASTY / "utf16-truncated.txt").text.startswith("Floods hit")
    with pytest.raises(SamestoryError, match=r"truncated\.txt\.gz"):
        read_file(NASTY / "truncated.txt.gz")


def test_a_folder_of_nasty_files_with_a_fifo_and_an_undecodable_name(tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    shutil.copytree(NASTY, folder)
    (folder / "make_nasty.py").unlink()
    os.mkfifo(folder / "stuck.txt")  # opening a FIFO blocks until a writer comes: never
    odd = os.fsencode(folder) + b"/bad-\xff-name.txt"
    with open(odd, "wb") as handle:
        handle.write(SENTENCE.encode())
    (folder / "dangling.txt").symlink_to(folder / "no-such-target.txt")
    stream = read_many(folder)
    articles = outcome("nasty-folder", lambda: list(stream))
    assert isinstance(articles, list)
    assert any("bad-" in (a.source or "") for a in articles)
    assert any("dangling.txt" in s.file for s in stream.skipped)
    for article in articles:
        (article.id + (article.source or "")).encode("utf-8")


@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".csv", ".json", ".warc", ".md"])
def test_an_enormous_single_line(tmp_path: Path, suffix: str) -> None:
    """20 MB without a newline: skipped as over the 10 MB limit, with the file named."""
    path = tmp_path / f"one-line{suffix}"
    with path.open("wb") as handle:
        handle.write(b'{"text": "' if suffix in (".jsonl", ".json") else b"")
        for _ in range(20):
            handle.write(SENTENCE.encode() * (1_000_000 // len(SENTENCE)))
    for call in (lambda: read_file(path), lambda: list(read_many(path, errors="raise"))):
        result = outcome("huge-line", call, names=path.name)
        assert isinstance(result, SamestoryError) or suffix in (".csv", ".warc")
    _check_stream(path, "huge-line")


def test_a_long_single_line_under_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(SENTENCE * 20_000, encoding="utf-8")  # 1.7 MB, one line
    article = outcome("huge-line", lambda: read_file(path))
    assert isinstance(article, Article) and len(article.text) > 1_000_000


def test_a_gzip_bomb_is_not_inflated_past_the_limit(tmp_path: Path) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    for name in ("bomb.txt.gz", "bomb.jsonl.gz"):
        path = tmp_path / name
        with path.open("wb") as handle:
            for _ in range(200):  # 200 MB of one letter in about 200 kB
                handle.write(packer.compress(b"a" * 1_000_000))
            handle.write(packer.flush())
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        result = outcome("gzip-bomb", lambda: read_file(path), names=name)  # noqa: B023
        assert isinstance(result, SamestoryError), result
        stream = outcome("gzip-bomb", lambda: list(read_many(path, errors="raise")), names=name)  # noqa: B023
        assert isinstance(stream, SamestoryError), stream


# --- memory on 50 MB inputs ------------------------------------------------------------------

_MEASURE = textwrap.dedent(
    """
    import sys
    from samestory.read import read_file, read_many
    from samestory.errors import SamestoryError

    def peak_mb():  # VmHWM, not ru_maxrss: that one keeps the parent's peak across exec
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024

    before = peak_mb()
    path = sys.argv[1]
    stream = read_many(path)
    articles = sum(1 for _ in stream)
    try:
        read_file(path)
    except SamestoryError:
        pass
    print(articles, len(stream.skipped), peak_mb() - before)
    """
)
FIFTY_MB = 50_000_000


def _write_50mb(path: Path) -> None:
    record = {"title": "Floods in Riverside", "lang": "en", "published": "2024-05-01",
              "text": SENTENCE * 6000}  # fmt: skip  # 500 kB: 100 articles make 50 MB
    name = path.name
    with path.open("wb") as handle:
        if name.endswith((".jsonl", ".jsonl.gz")):
            line = (json.dumps(record) + "\n").encode()
            data = line * (FIFTY_MB // len(line))
            handle.write(gzip.compress(data, 1) if name.endswith(".gz") else data)
        elif name.endswith(".csv"):
            row = f'"{record["title"]}",en,"{record["text"]}"\n'.encode()
            handle.write(b"title,lang,text\n" + row * (FIFTY_MB // len(row)))
        elif name.endswith(".warc"):
            page = record["text"].encode()
            # text/plain: the HTML extractor's speed is not what this test measures
            block = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + page
            head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/\r\n"
                    f"Content-Type: application/http; msgtype=response\r\n"
                    f"Content-Length: {len(block)}\r\n\r\n").encode()  # fmt: skip
            handle.write((head + block + b"\r\n\r\n") * (FIFTY_MB // len(block)))
        else:  # one 50 MB article
            handle.write(SENTENCE.encode() * (FIFTY_MB // len(SENTENCE)))


# Peak memory a reader may add on a 50 MB input: it streams records and refuses single
# articles over 10 MB, so the input is never held whole more than about once.
MAX_GROWTH_MB = 400


@pytest.mark.parametrize("name", ["big.txt", "big.html", "big.jsonl", "big.jsonl.gz",
                                  "big.csv", "big.warc", "one-line.jsonl"])  # fmt: skip
def test_memory_stays_bounded_on_a_50_mb_input(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "one-line.jsonl":
        path.write_bytes(b'{"text": "' + SENTENCE.encode() * (FIFTY_MB // len(SENTENCE)) + b'"}')
    else:
        _write_50mb(path)
    run = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True,
                         text=True, timeout=600)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    articles, skipped, growth_mb = (int(x) for x in run.stdout.split())
    print(f"{name}: {path.stat().st_size / 1e6:.0f} MB, {articles} articles, {skipped} skipped, "
          f"peak RSS +{growth_mb} MB")  # fmt: skip
    assert growth_mb < MAX_GROWTH_MB
