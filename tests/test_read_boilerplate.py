"""Boilerplate in copied web text (en, es, fr, de): dropped lines, kept report sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from samestory.read import article_from_text, read
from samestory.read.boilerplate import classify_line, is_page_furniture, split_boilerplate


def test_bundled_example_keeps_the_report_and_drops_the_page(example_dir: Path) -> None:
    article = read(example_dir / "first-report-web-copy.txt")
    assert article.title.startswith("Fatal shooting of police officer in New Mexico")
    source = (example_dir / "first-report-web-copy.txt").read_text(encoding="utf-8")
    body = source.split("CNN's Christina Zdanowicz")[0].split("\n", 1)[1]
    for paragraph in filter(None, (p.strip() for p in body.split("\n"))):
        assert paragraph in article.text
    for line in ("Recommended for you", "(0) comments", "Welcome to the discussion."):
        assert line in article.dropped and line not in article.text
    assert "Keep it Clean" not in article.text and "Share with Us" not in article.text


@pytest.mark.parametrize(
    "line",
    [
        # en
        "Recommended for you", "(3) comments", "Share this article", "Sign up for our newsletter",
        "We use cookies to improve your experience. Accept all cookies", "Photo: Jane Doe/Reuters",
        "Advertisement", "Continue reading", "3 min read", "Skip to content",
        # es
        "Comentarios (12)", "Recomendado para ti", "Compartir en Facebook", "Suscríbete ahora",
        "Lee también: el alcalde dimite", "Publicidad", "Foto: EFE",
        # fr
        "12 commentaires", "À lire aussi", "Partager sur Twitter",
        "Abonnez-vous à notre newsletter",
        "Lire la suite", "Publicité", "Crédit photo : AFP",
        # de
        "Kommentare (5)", "Lesen Sie auch", "Auf Facebook teilen", "Newsletter abonnieren",
        "Weiterlesen", "Anzeige", "Foto: dpa", "Lesezeit: 4 Min.",
    ],
)  # fmt: skip
def test_boilerplate_lines(line: str) -> None:
    assert classify_line(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Comments from residents were mostly positive, the council said.",
        "The mayor said he would read the full report before deciding.",
        "Los comentarios del ministro provocaron protestas en la capital.",
        "Le maire a partagé sa décision avec les habitants lundi soir.",
        "Die Polizei teilte mit, dass drei Personen verletzt wurden.",
        "Photographs of the site were shared widely on social media.",
    ],
)
def test_report_sentences_are_kept(line: str) -> None:
    assert classify_line(line) is None


def test_comment_tail_is_dropped_but_long_paragraphs_stay() -> None:
    text = "\n".join(
        ["Headline", "First paragraph of the report with enough words to count as content."] * 3
        + ["(2) comments", "Great article!", "I disagree."]
    )
    cleaned, dropped = split_boilerplate(text)
    assert "Great article!" not in cleaned and "(2) comments" in [d.line for d in dropped]
    assert cleaned.count("First paragraph") == 3


@pytest.mark.parametrize(
    "line",
    [
        "Related: NASA picks five lunar landers", "DON'T MISS", "Updated at 1:23 p.m.",
        "October 12, 2017", "Tuesday, November 19, 2019 / 12:21 AM", "Image 1 of 8",
        "Reporting by Rodrigo Campos; Editing by Nick Zieminski", "Recommended for you",
    ],
)  # fmt: skip
def test_page_furniture_of_html_extracts(line: str) -> None:
    assert is_page_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Police said on October 12, 2017 that the bridge would close.",
        "The related cases were heard together on Monday.",
        "Updated figures released on Friday show 40 more cases in the region.",
        "October 12, 2017 was the day the bridge closed, officials said in a statement.",
    ],
)
def test_report_sentences_are_not_page_furniture(line: str) -> None:
    assert not is_page_furniture(line)


def test_html_extract_drops_datelines_but_copied_text_keeps_them() -> None:
    paragraph = "The council approved the new bridge on Monday after a long debate in the city. "
    paragraphs = [
        paragraph,
        "Work on the crossing over the river is to start next spring and last two years. ",
        "Opponents had argued that the money should go to schools and the old tram line. ",
        "The mayor said the vote settled a question the city had discussed for a decade. ",
    ]
    html = (
        "<html><head><title>Bridge approved</title></head><body><article>"
        "<h1>Bridge approved</h1><p>October 12, 2017</p>"
        + "".join(f"<p>{p * 2}</p>" for p in paragraphs)
        + "<p>Related: Council election results</p></article></body></html>"
    )
    article = article_from_text(html)
    assert paragraph.strip() in article.text
    assert "October 12, 2017" not in article.text and "Related:" not in article.text
    copied = article_from_text("Bridge approved\nOctober 12, 2017\n" + paragraph * 3)
    assert "October 12, 2017" in copied.text
