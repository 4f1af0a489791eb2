"""HTML extraction: the article's paragraphs are kept, page furniture is dropped, metadata read."""

from __future__ import annotations

import datetime as dt

import pytest

from samestory.errors import InputError
from samestory.read.html import extract_html, extract_main_text

PARAGRAPHS = [
    "Firefighters contained a wildfire near the northern town of Alder on Sunday after three "
    "days of strong winds, the regional emergency service said.",
    "About 1,200 residents who had left their homes on Friday were allowed to return, though "
    "officials warned that power lines in the hills remained damaged.",
    "The fire burned roughly 4,000 hectares of forest and destroyed two barns, according to "
    "the service, which said no one had been hurt.",
    "Investigators are still looking into the cause. A spokesman said a lightning strike was "
    "the most likely explanation, but that arson had not been ruled out.",
]
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Wildfire near Alder contained | Example Times</title>
<meta property="og:title" content="Wildfire near Alder contained">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="2026-08-02T10:00:00Z">
</head><body>
<header class="site-header"><nav class="main-menu"><ul><li><a href="/">Home</a></li>
<li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article class="article-body"><h1>Wildfire near Alder contained</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article>
<aside class="related-stories"><h2>More stories</h2><ul>
<li><a href="/a">Storm hits the coast as residents prepare for floods</a></li>
<li><a href="/b">Minister resigns after a week of protests in the capital</a></li></ul></aside>
</main>
<footer class="site-footer"><p>© 2026 Example Times. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer></body></html>"""


def test_article_text_is_kept_and_furniture_dropped() -> None:
    page = extract_html(PAGE, "page.html")
    for paragraph in PARAGRAPHS:
        assert paragraph in page.text
    for furniture in ("Share on Facebook", "Storm hits the coast", "All rights reserved", "Home"):
        assert furniture not in page.text
    assert page.title == "Wildfire near Alder contained"
    assert page.published == dt.date(2026, 8, 2)
    assert page.author == "Maria Lopez"


def test_a_date_only_inside_a_script_is_no_publication_date() -> None:
    """htmldate's extensive search read "20251208" out of a build string (WCXB page 0005)."""
    undated = PAGE.replace(
        '<meta property="article:published_time" content="2026-08-02T10:00:00Z">',
        '<script>var build = "es_plusone_gc_20251208.0_p0";</script>',
    )
    assert extract_html(undated, "page.html").published is None


@pytest.mark.parametrize(
    ("title", "sitename", "host", "expected"),
    [
        (
            "What is Cloud Computing? | Google Cloud",
            "Google Cloud",
            None,
            "What is Cloud Computing?",
        ),
        (
            "Nutrition Trends For 2026 - Tastewise",
            None,
            "www.tastewise.io",
            "Nutrition Trends For 2026",
        ),
        ("Storm hits the coast – BBC News", "BBC News", "www.bbc.co.uk", "Storm hits the coast"),
        ("Biden - Trump debate", None, "cnn.com", "Biden - Trump debate"),  # not the site
        ("Brexit | Reuters", "Reuters", None, "Brexit | Reuters"),  # one word would stay
        ("Plain headline", "Site", "site.example", "Plain headline"),
    ],
)
def test_a_trailing_site_name_leaves_the_title(title, sitename, host, expected) -> None:
    from samestory.read.html import without_site_name

    assert without_site_name(title, sitename, host) == expected


def test_headline_is_the_title_not_the_first_line_of_the_text() -> None:
    page = extract_html(PAGE, "page.html")
    assert page.title == "Wildfire near Alder contained"
    assert not page.text.startswith("Wildfire near Alder")
    assert page.text.splitlines()[0] == PARAGRAPHS[0]


def test_leading_title_rule_drops_only_the_headline() -> None:
    from samestory.read.html import _drop_leading_title

    site_title = ["wildfire near alder contained | example times"]
    assert _drop_leading_title("Wildfire near Alder contained\nBody.", site_title) == "Body."
    # A first sentence that merely starts like the headline is not the headline.
    text = "Wildfire near Alder containedness rose.\nBody."
    assert _drop_leading_title(text, site_title) == text
    assert _drop_leading_title("Short\nBody.", ["short"]) == "Short\nBody."


def test_main_text_without_metadata_is_the_same_text() -> None:
    assert extract_main_text(PAGE) == extract_html(PAGE, "page.html").text


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>",
        "<html><body></body></html>",
        "just some bytes that are not markup at all",
    ],
)
def test_pages_without_article_text_raise_input_error(html: str) -> None:
    with pytest.raises(InputError, match="no article text"):
        extract_html(html, "page.html")


def test_block_method_keeps_the_article_too() -> None:
    page = extract_html(PAGE, "page.html", method="blocks")
    for paragraph in PARAGRAPHS:
        assert paragraph in page.text
    assert "All rights reserved" not in page.text


def test_precise_method_keeps_the_body_and_leaves_out_the_rest() -> None:
    page = extract_html(PAGE, "page.html", method="precise")
    for paragraph in PARAGRAPHS:
        assert paragraph in page.text
    for furniture in ("Share on Facebook", "Storm hits the coast", "All rights reserved"):
        assert furniture not in page.text
    assert page.title == "Wildfire near Alder contained"
    assert page.text.splitlines()[0] == PARAGRAPHS[0]


def test_unknown_method_is_refused() -> None:
    from samestory.read import ReadOptions

    with pytest.raises(InputError, match="trafilatura, precise or blocks"):
        ReadOptions(html_method="magic")
    with pytest.raises(InputError, match="trafilatura, precise or blocks"):
        extract_main_text(PAGE, method="magic")


def test_blocks_split_count_links_and_keep_repeats_once() -> None:
    from samestory.read.blocks import (
        FEATURE_NAMES,
        block_features,
        block_labels,
        html_blocks,
        parse_html,
        select_blocks,
    )

    tree = parse_html(PAGE)
    blocks = html_blocks(tree)
    texts = [b.text for b in blocks]
    assert PARAGRAPHS[0] in texts and "Home" in texts
    home = blocks[texts.index("Home")]
    assert home.link_words == 1 and "nav" in home.ancestors
    rows = block_features(blocks, "\n".join(PARAGRAPHS))
    assert len(rows) == len(blocks) and all(len(r) == len(FEATURE_NAMES) for r in rows)
    labels = block_labels(texts, "\n".join(PARAGRAPHS))
    assert labels[texts.index(PARAGRAPHS[1])] == 1 and labels[texts.index("Home")] == 0
    assert select_blocks([PARAGRAPHS[0], PARAGRAPHS[0], "x"], [0.9, 0.9, 0.1]) == [PARAGRAPHS[0]]


def test_cli_help_lists_the_commands() -> None:
    from typer.testing import CliRunner

    from samestory.cli import app

    assert "extract" in CliRunner().invoke(app, ["--help"]).stdout
    assert "extraction" in CliRunner().invoke(app, ["eval", "--help"]).stdout


def test_missed_paragraphs_rule_needs_much_more_prose() -> None:
    from samestory.read.html import _missed_paragraphs, _page_words

    prose = " ".join(["word"] * 30)
    extract = "A short extract of a few words only, ten or so of them."
    fallback = "\n".join([extract] + [prose] * 4)
    assert _missed_paragraphs(extract, fallback)  # four paragraphs of prose were missed
    menu = "\n".join([extract] + ["Home", "World", "Sport", "Contact us"] * 10)
    assert not _missed_paragraphs(extract, menu)  # more words, but a menu, not prose
    assert not _missed_paragraphs(extract, extract)
    page = "<html><script>var x = 1 2 3 4 5</script><style>p {}</style><p>one two</p></html>"
    assert _page_words(page) == 2  # scripts and styles do not count


def test_read_file_takes_the_html_method(tmp_path) -> None:
    from samestory.read import ReadOptions, read_file

    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    for method in ("trafilatura", "precise"):
        article = read_file(path, ReadOptions(html_method=method))
        assert article.title == "Wildfire near Alder contained"
        assert PARAGRAPHS[-1] in article.text and "Share on Facebook" not in article.text
