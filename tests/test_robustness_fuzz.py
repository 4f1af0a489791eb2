"""Property-based tests: any bytes into any reader, any texts into compare; no crash, no hang.

Each example is time-bounded (tests/_robustness.py); a reader may only return Articles or
raise samestory's own error naming the file. The default suite runs ~200 examples per
property; ``benchmarks/fuzz.py`` runs the same properties with many more.
"""

from __future__ import annotations

import atexit
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _robustness import ROBUST, outcome, require_slow
from samestory.article import Article
from samestory.errors import SamestoryError
from samestory.read import read, read_file, read_many, read_text

WORK = Path(tempfile.mkdtemp(prefix="samestory-fuzz-"))
atexit.register(shutil.rmtree, WORK, True)
STORY = (
    "Floods hit the town of Riverside on Monday after three days of rain. Hundreds of "
    "residents were evacuated by boat, the mayor, Ana Lopez, said on 5 May 2024. Forty homes "
    "were damaged and 2 bridges closed."
)
SUFFIXES = [".txt", ".html", ".htm", ".jsonl", ".json", ".csv", ".tsv", ".warc", ".md", ""]

# any Unicode; lone surrogates, controls, marks and invisible characters made common on purpose
# (st.text alone almost never draws a surrogate: 2 strings in 200)
odd_chars = st.sampled_from(
    list('\x00\x1b\r\n\t\u00a0\u200b\u200d\u202e\u2028\ufeff\ufffd\u0301<>&"{}[],')
)
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=[])
any_text = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=[]), max_size=40), odd_chars, surrogates,
              st.text(st.characters(categories=("L",)), min_size=1, max_size=12)),
    max_size=30,
).map("".join)  # fmt: skip
words = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=30)
prose = st.lists(st.one_of(words, st.sampled_from(STORY.split())), max_size=60).map(" ".join)


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` cut, spliced with random bytes, or with a stretch repeated: broken, not random."""
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "repeat", "flip"]))
        if action == "cut":
            data = data[:at]
        elif action == "insert":
            data[at:at] = draw(st.binary(max_size=40))
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 50))] * draw(st.integers(1, 30))
        elif data:
            data[min(at, len(data) - 1)] ^= draw(st.integers(1, 255))
    return bytes(data)


def _html(draw: st.DrawFn) -> bytes:
    tags = st.sampled_from(["div", "p", "article", "span", "b", "table", "tr", "td", "script",
                            "style", "h1", "title", "head", "body", "ul", "li", "a", "br"])  # fmt: skip
    tree = st.recursive(
        st.one_of(prose, any_text),
        lambda children: st.tuples(tags, st.lists(children, max_size=4), st.booleans()).map(
            lambda t: f"<{t[0]}>" + "".join(t[1]) + (f"</{t[0]}>" if t[2] else "")
        ),
        max_leaves=30,
    )
    head = draw(st.sampled_from(["", "<!doctype html>", "<html>", '<meta charset="latin-1">',
                                 "<?xml version='1.0'?>"]))  # fmt: skip
    return (head + draw(tree)).encode("utf-8", "surrogatepass")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text | prose,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["text", "title", "url", "published", "lang", "author",
                                       "body", "name", "value", "x"]), children, max_size=6),
    max_leaves=20,
)  # fmt: skip


def _jsonl(draw: st.DrawFn) -> bytes:
    lines = []
    for value in draw(st.lists(json_values, max_size=6)):
        line = json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")
        lines.append(draw(mutated(line)) if draw(st.booleans()) else line)
    return b"\n".join(lines)


def _csv(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    cells = st.one_of(prose, any_text, st.just('"'), st.just(""))
    header = draw(st.lists(st.sampled_from(["text", "title", "lang", "published", "x"]),
                           min_size=1, max_size=5))  # fmt: skip
    rows = draw(st.lists(st.lists(cells, max_size=6), max_size=5))
    text = "\n".join(delimiter.join(row) for row in [header, *rows])
    return text.encode("utf-8", "surrogatepass")


def _warc(draw: st.DrawFn) -> bytes:
    out = b""
    for _ in range(draw(st.integers(0, 3))):
        payload = draw(st.one_of(st.binary(max_size=300), st.builds(lambda: STORY.encode())))
        http = draw(st.booleans())
        content_type = draw(st.sampled_from(["text/html", "text/plain", "image/png", "",
                                             "text/html; charset=bogus"]))  # fmt: skip
        block = payload
        if http:
            status = draw(st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "x"]))
            block = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n".encode() + payload
        length = len(block) + draw(st.sampled_from([0, 0, 0, -1, 1, 1000, -len(block) - 5]))
        kind = draw(st.sampled_from(["response", "resource", "request", "warcinfo", "bogus"]))
        out += (
            f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://x.example/{len(out)}\r\n"
            + ("Content-Type: application/http; msgtype=response\r\n" if http else
               f"Content-Type: {content_type}\r\n")
            + f"Content-Length: {length}\r\n\r\n"
        ).encode() + block + b"\r\n\r\n"  # fmt: skip
    return draw(mutated(out)) if draw(st.booleans()) else out


@st.composite
def files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file name and content: a format's well-formed, broken or random bytes."""
    kind = draw(st.sampled_from(["random", "text", "html", "jsonl", "csv", "warc"]))
    if kind == "random":
        data = draw(st.binary(max_size=2000))
    elif kind == "text":
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "koi8-r"]))
        data = draw(st.one_of(prose, any_text)).encode(encoding, "replace")
        data = draw(mutated(data))
    else:
        data = draw(
            mutated({"html": _html, "jsonl": _jsonl, "csv": _csv, "warc": _warc}[kind](draw))
        )
    suffix = draw(st.sampled_from(SUFFIXES))
    if draw(st.integers(0, 4)) == 0:
        packed = gzip.compress(data, mtime=0)
        data = packed[: draw(st.integers(0, len(packed)))] if draw(st.booleans()) else packed
        suffix += ".gz"
    return f"case{suffix}", data


def _write(name: str, data: bytes) -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


def _check_articles(result: object) -> None:
    if isinstance(result, SamestoryError):
        return
    for article in result if isinstance(result, list) else [result]:
        assert isinstance(article, Article)
        assert article.text.strip()
        (article.id + article.title + (article.source or "")).encode("utf-8")


@ROBUST
@given(files())
def test_read_file_on_any_file(case: tuple[str, bytes]) -> None:
    path = _write(*case)
    _check_articles(outcome("read_file", lambda: read_file(path), names=path.name))
    _check_articles(outcome("read", lambda: read(str(path)), names=path.name))


@ROBUST
@given(files())
def test_read_many_on_any_file(case: tuple[str, bytes]) -> None:
    path = _write(*case)
    stream = read_many(path)
    articles = outcome("read_many", lambda: list(stream))
    assert not isinstance(articles, SamestoryError), articles  # "skip" skips, never raises
    _check_articles(articles)
    for item in stream.skipped:
        assert item.file.endswith(path.name) and item.reason.strip()
    _check_articles(outcome("read_many", lambda: list(read_many(path, errors="raise")),
                            names=path.name))  # fmt: skip


@ROBUST
@given(st.lists(files(), min_size=1, max_size=5))
def test_read_many_on_a_folder(cases: list[tuple[str, bytes]]) -> None:
    folder = Path(tempfile.mkdtemp(dir=WORK))
    for number, (name, data) in enumerate(cases):
        (folder / f"{number}-{name}").write_bytes(data)
    stream = read_many(folder)
    articles = outcome("read_many_folder", lambda: list(stream))
    assert not isinstance(articles, SamestoryError), articles
    _check_articles(articles)


@ROBUST
@given(st.one_of(any_text, prose, st.builds(lambda: STORY)), st.one_of(st.none(), any_text))
def test_read_text_on_any_string(text: str, title: str | None) -> None:
    _check_articles(outcome("read_text", lambda: read_text(text, title=title)))


# compare is ~100x slower than a reader (sentence encoder, NER, pair model): fewer examples
@ROBUST.__class__(ROBUST, max_examples=max(10, ROBUST.max_examples // 4))
@given(st.one_of(any_text, prose, st.builds(lambda: STORY)), st.one_of(any_text, prose))
def test_compare_on_any_texts(a: str, b: str) -> None:
    from samestory.compare import compare

    result = outcome("compare", lambda: compare(a, b))
    if isinstance(result, SamestoryError):
        return
    scores = result.scores.to_dict()
    assert all(1.0 <= v <= 4.0 for v in scores.values()), scores
    assert 0.0 <= result.same_event_probability <= 1.0
    json.dumps(result.to_dict())


@st.composite
def request_bodies(draw: st.DrawFn) -> bytes:
    """A JSON request body for /api/compare or /api/articles: valid, broken or random."""
    side = st.one_of(prose, any_text, st.builds(lambda: STORY), json_values)
    value = draw(st.one_of(
        st.fixed_dictionaries({"a": side, "b": side}),
        st.fixed_dictionaries({"articles": st.lists(json_values, max_size=3)}),
        json_values,
    ))  # fmt: skip
    body = json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")
    kind = draw(st.sampled_from(["valid", "mutated", "random", "deep"]))
    if kind == "mutated":
        return draw(mutated(body))
    if kind == "random":
        return draw(st.binary(max_size=300))
    if kind == "deep":
        return b"[" * draw(st.integers(500, 20_000)) + body
    return body


@ROBUST.__class__(ROBUST, max_examples=max(10, ROBUST.max_examples // 8))
@given(st.sampled_from(["/api/compare", "/api/articles"]), request_bodies())
def test_the_http_api_on_any_body(path: str, body: bytes) -> None:
    """Any body gets a 2xx or a 4xx with a JSON error, never a 500."""
    pytest.importorskip("fastapi")
    response = outcome(
        "http", lambda: _web_client().post(path, content=body,
                                           headers={"content-type": "application/json"})
    )  # fmt: skip
    assert not isinstance(response, SamestoryError)
    assert response.status_code < 500, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")


_CLIENT: list[Any] = []


def _web_client() -> Any:
    if not _CLIENT:
        from fastapi.testclient import TestClient

        from samestory.web import ServerOptions, create_app

        app = create_app(ServerOptions(db=WORK / "web.db"))
        _CLIENT.append(TestClient(app, raise_server_exceptions=False))
    return _CLIENT[0]


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_fuzz_benchmark_runs_over_10000_cases(request: pytest.FixtureRequest) -> None:
    """benchmarks/fuzz.py with 2,000 examples per property: over 10,000 reader/compare calls."""
    require_slow(request.config)
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "fuzz.py"), "--examples", "2000"],
        capture_output=True, text=True, timeout=3600, cwd=REPO,
    )  # fmt: skip
    print(run.stdout[-1500:])
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    total = int(run.stdout.split("total")[-1].split()[0])
    assert total >= 10_000


@pytest.mark.slow
def test_60_seconds_of_mixed_load_on_the_server(request: pytest.FixtureRequest) -> None:
    """benchmarks/web_load.py --mixed 60: no errors, server memory grows by less than 200 MB."""
    require_slow(request.config)
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "web_load.py"), "--mixed", "60", "--json"],
        capture_output=True, text=True, timeout=1800, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(json.dumps({k: v for k, v in result.items() if k != "endpoints"}))
    assert result["errors"] == 0, result["error_examples"]
    assert result["rss_after_mb"] - result["rss_before_mb"] < 200
