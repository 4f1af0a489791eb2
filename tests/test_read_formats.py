"""read_many: every format, folders, stdin, bad inputs skipped with a record, stable ids."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from samestory.errors import InputError
from samestory.read import FieldNames, ReadOptions, SkippedItem, read_many
from samestory.read.decode import decode_bytes

BODY = (
    "The city council approved the new budget on Tuesday after a long debate. "
    "The mayor said the plan would fund three new schools and repair the old bridge."
)
HTML = f"""<!doctype html><html><head><title>Council approves budget</title>
<meta charset="utf-8"></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council approves budget</h1><p>{BODY}</p>
<p>Opposition members voted against it, saying taxes would rise for small businesses.</p>
<p>The budget takes effect in January and will be reviewed again in the summer.</p></article>
<footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>"""


def _warc(path: Path, records: list[tuple[str, bytes, str]], compress: bool = False) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for url, payload, content_type in records:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers
            )
            writer.write_record(record)
    return path


def test_text_html_and_gzip_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Budget passes\n\n{BODY}", encoding="utf-8")
    (tmp_path / "b.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "c.htm.gz").write_bytes(gzip.compress(HTML.encode("utf-8")))
    stream = read_many(tmp_path)
    articles = list(stream)
    assert [Path(a.source or "").name for a in articles] == ["a.txt", "b.html", "c.htm.gz"]
    assert articles[0].title == "Budget passes"
    assert "three new schools" in articles[1].text
    assert "Home" not in articles[1].text.split()
    assert articles[1].text == articles[2].text
    assert stream.articles == 3 and stream.skipped == []


def test_jsonl_with_aliases_broken_lines_and_field_overrides(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"title": "One", "text": BODY, "url": "https://e.x/1", "published": "2026-03-01"}
        ),
        "{not json",
        json.dumps(
            {"headline": "Two", "content": BODY + " More.", "date": "Sun, 01 Mar 2026 10:00:00 GMT"}
        ),
        json.dumps({"title": "No text here"}),
        "",
        json.dumps({"story": BODY + " Third.", "lang": "en-GB"}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stream = read_many(path)
    articles = list(stream)
    assert [a.title for a in articles] == ["One", "Two"]
    assert articles[0].url == "https://e.x/1" and str(articles[0].published) == "2026-03-01"
    assert str(articles[1].published) == "2026-03-01"
    explained = [("JSON" in s.reason or "no article text" in s.reason) for s in stream.skipped]
    assert all(explained)
    assert [s.record for s in stream.skipped] == ["line 2", "line 4", "line 6"]
    assert [(s.record, True) for s in stream.skipped] == [
        ("line 2", True), ("line 4", True), ("line 6", True),
    ]  # fmt: skip
    # The same file with the text field named: the third record is read, language normalised.
    named = list(read_many(path, fields={"text": "story"}))
    assert len(named) == 3 and named[2].lang == "en"


def test_json_array_and_object_with_articles(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(
        json.dumps([{"title": "A", "body": BODY}]), encoding="utf-8"
    )
    (tmp_path / "wrapped.json").write_text(
        json.dumps(
            {"articles": [{"title": "B", "text": BODY}, {"title": "C", "text": BODY + " C."}]}
        ),
        encoding="utf-8",
    )
    assert [a.title for a in read_many(tmp_path)] == ["A", "B", "C"]


def test_csv_and_tsv_in_latin1(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(
        f'title,body,date\n"Café reopens","{BODY} Le café a rouvert.",2026-01-02\n'.encode(
            "latin-1"
        )
    )
    (tmp_path / "b.tsv").write_text(f"title\ttext\nTabbed\t{BODY}\n", encoding="utf-8")
    articles = list(read_many(tmp_path))
    assert [a.title for a in articles] == ["Café reopens", "Tabbed"]
    assert "café" in articles[0].text and str(articles[0].published) == "2026-01-02"


def test_csv_without_a_header_row(tmp_path: Path, data_dir: Path) -> None:
    # GoogleNews' layout: label<TAB>text, no header; the longest column is the text
    lines = (data_dir / "clustering/googlenews-ts/GoogleNews-TS.tsv").read_text().splitlines()
    (tmp_path / "news.tsv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    articles = list(read_many(tmp_path / "news.tsv"))
    assert [a.text for a in articles] == [line.split("\t", 1)[1] for line in lines[:3]]
    # a column chosen by number; a header of unknown short names is still a header
    (tmp_path / "two.csv").write_text(f'"{BODY}",Second body text here\n', encoding="utf-8")
    options = ReadOptions(fields=FieldNames.with_overrides({"text": "2"}))
    assert [a.text for a in read_many(tmp_path / "two.csv", options=options)] == [
        "Second body text here"
    ]
    (tmp_path / "named.csv").write_text(f'id,story\n1,"{BODY}"\n', encoding="utf-8")
    stream = read_many(tmp_path / "named.csv")
    assert list(stream) == [] and "name yours with --field" in stream.skipped[0].reason


def test_a_column_named_with_field_must_exist(tmp_path: Path) -> None:
    # a misspelt column is a clear reason for the file, not a silent fall-back to "text"
    (tmp_path / "named.csv").write_text(f'id,text,story\n1,"{BODY}","{BODY}"\n', encoding="utf-8")
    options = ReadOptions(fields=FieldNames.with_overrides({"text": "stroy"}))
    stream = read_many(tmp_path / "named.csv", options=options)
    assert list(stream) == []
    (skipped,) = stream.skipped
    assert "no column 'stroy'" in skipped.reason and "id, text, story" in skipped.reason
    options = ReadOptions(fields=FieldNames.with_overrides({"text": "STORY"}))  # any case
    assert len(list(read_many(tmp_path / "named.csv", options=options))) == 1
    (tmp_path / "bare.tsv").write_text(f"1\t{BODY}\n", encoding="utf-8")
    options = ReadOptions(fields=FieldNames.with_overrides({"text": "3"}))
    stream = read_many(tmp_path / "bare.tsv", options=options)
    assert list(stream) == [] and "no column '3'" in stream.skipped[0].reason


@pytest.mark.parametrize("compress", [False, True])
def test_warc_reads_html_responses_and_reports_empty_records(
    tmp_path: Path, compress: bool
) -> None:
    path = _warc(
        tmp_path / ("crawl.warc.gz" if compress else "crawl.warc"),
        [
            ("https://e.x/story", HTML.encode("utf-8"), "text/html; charset=utf-8"),
            ("https://e.x/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
            ("https://e.x/empty", b"", "text/html"),
        ],
        compress=compress,
    )
    stream = read_many(path)
    articles = list(stream)
    assert len(articles) == 1
    assert articles[0].url == "https://e.x/story" and "three new schools" in articles[0].text
    assert [(s.record, s.reason) for s in stream.skipped] == [
        ("record 3 https://e.x/empty", "empty response record")
    ]


def test_broken_warc_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>")
    stream = read_many(path)
    assert list(stream) == []
    assert len(stream.skipped) == 1 and stream.skipped[0].file == str(path)


def test_bad_inputs_are_skipped_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    (tmp_path / "corrupt.txt.gz").write_bytes(gzip.compress(BODY.encode())[:25])
    (tmp_path / "fake.txt.gz").write_bytes(b"plain text, not gzip")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nothing.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    (tmp_path / "huge.html").write_text(
        "<html><body><p>" + "word " * 2_100_000 + "</p></body></html>"
    )
    stream = read_many([tmp_path, tmp_path / "missing.txt"])
    assert [a.source for a in stream] == [str(good)]
    reasons = {Path(s.file).name: s.reason for s in stream.skipped}
    assert set(reasons) == {
        "binary.txt", "corrupt.txt.gz", "empty.txt", "fake.txt.gz", "huge.html", "nothing.html",
        "missing.txt",
    }  # fmt: skip
    assert "binary" in reasons["binary.txt"]
    assert "corrupt" in reasons["corrupt.txt.gz"]
    assert "not gzip" in reasons["fake.txt.gz"]
    assert "limit" in reasons["huge.html"]
    assert "no such file" in reasons["missing.txt"]
    assert all(isinstance(s, SkippedItem) and s.to_dict()["reason"] for s in stream.skipped)


def test_invalid_utf8_is_still_decoded(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(BODY.encode("utf-8") + b" Caf\xe9 \xff end.")
    [article] = list(read_many(path))
    assert article.text.startswith("The city council")


def test_errors_raise_and_callable(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        list(read_many(tmp_path, errors="raise"))
    seen: list[SkippedItem] = []
    assert list(read_many(tmp_path, errors=seen.append)) == []
    assert len(seen) == 1
    with pytest.raises(InputError, match="errors"):
        read_many(tmp_path, errors="explode")  # type: ignore[arg-type]


def test_folder_reading_is_lazy_and_glob_filters(tmp_path: Path) -> None:
    for i in range(5):
        sub = tmp_path / f"day{i}"
        sub.mkdir()
        (sub / f"{i}.txt").write_text(f"{BODY} Number {i}.", encoding="utf-8")
        (sub / f"{i}.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "notes.xyz").write_text("not read without a glob")
    (tmp_path / ".hidden.txt").write_text(BODY)
    stream = read_many(tmp_path, glob="*.txt")
    first = next(stream)
    assert first.source and first.source.endswith("0.txt")
    assert stream.articles == 1  # nothing beyond the first file has been read yet
    assert len(list(stream)) == 4
    assert len(list(read_many(tmp_path))) == 10


def test_ids_are_stable_across_reads_and_formats(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": BODY}) + "\n", encoding="utf-8")
    first = [a.id for a in read_many(tmp_path)]
    second = [a.id for a in read_many(tmp_path)]
    assert first == second and first[0] == first[1]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps({"title": "S", "text": BODY}) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [article] = list(read_many("-"))
    assert article.title == "S" and article.source == "<stdin>#1"


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_and_tsv_on_stdin_are_told_by_their_header(
    monkeypatch: pytest.MonkeyPatch, delimiter: str
) -> None:
    rows = [["title", "story", "url"], ["S", BODY, "https://e.x/s"], ["T", BODY + " Again.", ""]]
    data = "".join(delimiter.join(f'"{c}"' for c in row) + "\n" for row in rows).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    options = ReadOptions(fields=FieldNames.with_overrides({"text": "story"}))
    articles = list(read_many("-", options=options))
    assert [a.title for a in articles] == ["S", "T"] and articles[0].url == "https://e.x/s"


def test_a_text_whose_first_line_holds_commas_stays_a_text(monkeypatch: pytest.MonkeyPatch) -> None:
    data = f"Prices, taxes and rents rose, the minister said\n\n{BODY}\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [article] = list(read_many("-"))
    assert BODY in article.text


def test_options_are_checked() -> None:
    with pytest.raises(InputError, match="unknown article part"):
        FieldNames.with_overrides({"body": "x"})
    with pytest.raises(InputError, match="positive"):
        ReadOptions(max_bytes=0)
    assert FieldNames.with_overrides({"text": "story"}).text[:2] == ("story", "text")


def test_jsonl_records_are_split_at_newlines_only(tmp_path: Path) -> None:
    """U+2028/U+2029 and other Unicode line breaks inside a JSON string stay in the record
    (``str.splitlines`` would break there); Spark's reader splits at newlines too."""
    text = BODY + "\u2028Second paragraph.\u2029\x85\x1c End."
    path = tmp_path / "breaks.jsonl"
    lines = [
        json.dumps({"title": "One", "text": text}, ensure_ascii=False),
        json.dumps({"text": BODY}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stream = read_many(path)
    articles = list(stream)
    assert len(articles) == 2 and not stream.skipped
    assert "Second paragraph." in articles[0].text and articles[0].text.rstrip().endswith("End.")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # mostly ASCII: byte statistics alone read the "£" as Central European "Ł"
        ("Britain's bill soars to £22billion as the crisis deepens, the Treasury said. ", "cp1252"),
        (
            "Le président a rencontré mercredi le Premier ministre à l’Élysée, près de la Seine. ",
            "cp1252",
        ),
        (
            "Die Kanzlerin traf am Mittwoch den Präsidenten – es ging um 100 € mehr für alle. ",
            "cp1252",
        ),
        ("Prezident Miloš Zeman se ve středu setkal s premiérem a mluvili o rozpočtu. ", "cp1250"),
        (
            "Prezydent spotkał się w środę z premierem. Rozmowa dotyczyła budżetu państwa. ",
            "cp1250",
        ),
    ],
)
def test_legacy_code_pages_follow_the_language(text: str, encoding: str) -> None:
    assert decode_bytes((text * 4).encode(encoding), "legacy.txt") == text * 4


def test_a_mistyped_file_name_is_not_read_as_an_article() -> None:
    import samestory

    with pytest.raises(InputError, match="no such file"):
        samestory.read("reprot.txt")
    assert samestory.read("Hello world. This is the report.").text.startswith("Hello")


def test_a_csv_in_a_legacy_code_page_follows_its_language(tmp_path: Path, data_dir: Path) -> None:
    # a real Windows-1252 news text that byte statistics alone read as Central European
    raw = (data_dir / "clustering/wikiref/WikiRef150/debt.crisis.greece.178.txt").read_bytes()
    path = tmp_path / "legacy.csv"
    path.write_bytes(b'title,text\nDebt,"' + raw.replace(b'"', b'""') + b'"\n')
    (article,) = list(read_many([path]))
    assert "£22billion" in article.text and "Ł" not in article.text


def test_semicolon_csv_and_a_header_without_records(tmp_path: Path) -> None:
    (tmp_path / "europe.csv").write_text(f'titel;text\nHochwasser;"{BODY}"\n', encoding="utf-8")
    assert [a.text for a in read_many(tmp_path / "europe.csv")] == [BODY]
    # semicolons inside a quoted text do not make the file semicolon-separated
    (tmp_path / "quoted.csv").write_text(f'title,text\nFlood,"a; b; c; {BODY}"\n', encoding="utf-8")
    assert [a.title for a in read_many(tmp_path / "quoted.csv")] == ["Flood"]
    (tmp_path / "empty.csv").write_text("title,text\n", encoding="utf-8")
    stream = read_many(tmp_path / "empty.csv")
    assert list(stream) == [] and stream.skipped[0].reason == "a header row and no records under it"


def test_publication_dates_in_every_common_shape() -> None:
    import datetime as dt

    from samestory.read.formats import parse_date

    day = dt.date(2021, 1, 1)
    for value in (20210101, "20210101", 1609459200, "1609459200", 1609459200000,
                  "1609459200000", 1609459200.5, "2021-01-01", "Fri, 01 Jan 2021 10:00:00 GMT"):  # fmt: skip
        assert parse_date(value) == day, value
    for value in (True, "abc", "", None, float("nan"), "2021-13-45"):
        assert parse_date(value) is None, value


def test_written_publication_dates_are_read_and_relative_ones_are_not() -> None:
    import datetime as dt

    from samestory.read.formats import parse_date

    march = dt.date(2020, 3, 5)
    assert parse_date("March 5, 2020") == march
    assert parse_date("5 de marzo de 2020", "es") == march
    assert parse_date("05/03/2020", "de") == march  # day first where the language writes so
    assert parse_date("03/05/2020", "en") == march  # month first in English
    for value in ("yesterday", "2 days ago", "March 2020", "in 5 minutes", "page 12"):
        assert parse_date(value) is None, value


def test_an_article_reads_its_publication_date_from_text() -> None:
    import datetime as dt

    from samestory import Article
    from samestory.errors import InputError

    assert Article(text="x", published="2014-03-12").published == dt.date(2014, 3, 12)
    assert Article(text="x", published=dt.datetime(2014, 3, 12, 9)).published == dt.date(
        2014, 3, 12
    )
    assert Article(text="x", published="").published is None
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        Article(text="x", published="soon", source="feed.jsonl#3")
    with pytest.raises(InputError, match="not a date"):
        Article(text="x", published=20140312)  # type: ignore[arg-type]


def test_terminal_escapes_and_controls_are_dropped() -> None:
    import samestory

    article = samestory.read(
        "\x1b]0;owned\x07Storm \x1b[31mhits\x1b[0m the coast\x1b[2J.\n\nTwo were hurt, \x93police\x94 say.",
    )
    assert "\x1b" not in article.text and "[31m" not in article.text
    assert "Storm hits the coast." in article.text and "“police”" in article.text


def test_read_names_what_it_cannot_take(tmp_path: Path) -> None:
    import samestory

    with pytest.raises(InputError, match="is a folder"):
        samestory.read(str(tmp_path))  # a string naming a folder is not the article's text
    for value in (None, b"bytes", 42):
        with pytest.raises(InputError, match="not a path or a text"):
            samestory.read(value)  # type: ignore[arg-type]
    assert not samestory.read("\ufeffFire in the city. Many were hurt.").text.startswith("\ufeff")


def test_a_records_outlet_is_its_source(tmp_path: Path) -> None:
    from samestory.read import read_many

    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"text": "Storm hits the coast. Two hurt.", "source": {"id": null, "name": "Reuters"}}\n'
        '{"text": "Fire in the city. Many hurt.", "outlet": "Local Radio"}\n'
        '{"text": "Quake shakes the town. None hurt."}\n',
        encoding="utf-8",
    )
    sources = [article.source for article in read_many([feed])]
    assert sources == ["Reuters", "Local Radio", f"{feed}#3"]
