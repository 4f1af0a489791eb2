"""The HTML report: texts escaped, one colour per aligned pair, nothing from the network."""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from html.parser import HTMLParser

import pytest

from samestory.compare.comparison import DIMENSIONS, Comparison, Conflict, DocumentSummary
from samestory.render.html import render_comparison_html
from test_render_example import example_comparison

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text content, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return example_comparison()


@pytest.fixture(scope="module")
def page(comparison: Comparison) -> str:
    return render_comparison_html(comparison)


def test_page_shows_verdict_scores_and_both_texts(comparison: Comparison, page: str):
    assert page.startswith("<!doctype html>")
    text = " ".join(parse(page).text)
    assert "Same event" in text and "97%" in text
    for name in DIMENSIONS:
        assert name.capitalize() in text
    for sentence in (*comparison.sentences_a, *comparison.sentences_b):
        assert all(word in text for word in sentence.split()[:4])
    assert "Keep it Clean" in text  # the dropped boilerplate, folded in <details>
    assert "<details" in page


def classes_of(page: str, element_id: str) -> set[str]:
    for _tag, attrs in parse(page).tags:
        if attrs.get("id") == element_id:
            return set((attrs.get("class") or "").split())
    raise AssertionError(f"no element with id {element_id}")


def test_aligned_pair_shares_a_colour_and_only_sentences_are_marked(page: str):
    prefix = re.search(r'<div class="ssr" id="([^"]+)"', page).group(1)
    for a, b in [(2, 0), (4, 2), (5, 3), (5, 4), (12, 13)]:
        colour_a = {c for c in classes_of(page, f"{prefix}-a-{a}") if re.fullmatch(r"ssr-g\d", c)}
        colour_b = {c for c in classes_of(page, f"{prefix}-b-{b}") if re.fullmatch(r"ssr-g\d", c)}
        assert colour_a and colour_a == colour_b, (a, b)
    assert "ssr-only" in classes_of(page, f"{prefix}-a-3")
    assert "ssr-only" in classes_of(page, f"{prefix}-b-15")
    colours = [
        classes_of(page, f"{prefix}-a-{a}") & {f"ssr-g{k}" for k in range(8)} for a in (1, 2)
    ]
    assert colours[0] != colours[1]  # neighbouring pairs get different colours


def test_conflict_is_marked_in_both_sentences_and_listed_with_links(page: str):
    parsed = parse(page)
    marks = [attrs for tag, attrs in parsed.tags if tag == "mark"]
    assert any(
        "Las Cruses" in (m.get("title") or "") and "Las Cruces" in (m.get("title") or "")
        for m in marks
    )
    prefix = re.search(r'<div class="ssr" id="([^"]+)"', page).group(1)
    hrefs = {attrs.get("href") for tag, attrs in parsed.tags if tag == "a"}
    assert {f"#{prefix}-a-0", f"#{prefix}-b-4", f"#{prefix}-b-16", f"#{prefix}-b-17"} <= hrefs
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    assert all(href[1:] in ids for href in hrefs if href and href.startswith("#"))
    assert re.search(r'<mark class="ssr-m-conflict"[^>]*>Las Cruses</mark>', page)
    assert re.search(r'<mark class="ssr-m-inconsistency"[^>]*>Jarrett</mark>', page)


def hostile(comparison: Comparison) -> Comparison:
    evil = f"{HOSTILE_SCRIPT} {HOSTILE_IMG} \" onmouseover=alert(1) x='"
    return replace(
        comparison,
        a=replace(comparison.a, title=evil, source="javascript:alert(1)", dropped=(evil,)),
        b=DocumentSummary(title=HOSTILE_IMG, lang="en", chars=10, dropped=(), source=evil),
        sentences_a=(f"Police said {HOSTILE_SCRIPT} in Las Cruses.", *comparison.sentences_a[1:]),
        sentences_b=(f"{HOSTILE_IMG} was posted.", *comparison.sentences_b[1:]),
        conflicts=(
            Conflict(
                kind="name",
                a=HOSTILE_SCRIPT,
                b=HOSTILE_IMG,
                a_sentence=0,
                b_sentence=0,
                reason=evil,
            ),
        ),
        reasons={**comparison.reasons, "overall": evil},
    )


@pytest.mark.parametrize("standalone", [True, False])
def test_hostile_article_text_appears_only_escaped(comparison: Comparison, standalone: bool):
    html = render_comparison_html(hostile(comparison), standalone=standalone)
    assert HOSTILE_SCRIPT not in html and HOSTILE_IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    parsed = parse(html)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "img", "iframe", "object")]
    for _tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not (attrs.get("href") or "#").lower().startswith("javascript")
    text = "".join(parsed.text)
    assert HOSTILE_SCRIPT in text and HOSTILE_IMG in text  # shown to the reader, as text


def test_no_network_resources(page: str):
    parsed = parse(page)
    for _tag, attrs in parsed.tags:
        for name in ("src", "href", "action", "srcset", "data"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), (name, attrs)
    assert not re.search(r"https?://", page)
    assert not re.search(r"@import|url\(", page)
    csp = [
        a
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in (csp[0].get("content") or "")


def test_fragment_for_jupyter_is_scoped_and_self_contained(comparison: Comparison):
    fragment = comparison._repr_html_()
    assert not fragment.lstrip().lower().startswith("<!doctype")
    assert "<html" not in fragment and "<body" not in fragment
    css = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    selectors = re.findall(r"(?:^|})\s*([^{}@]+?)\s*{", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    for selector in selectors:
        for part in re.split(r",(?![^()]*\))", selector):  # commas outside :has(...)
            assert ".ssr" in part or "#ss" in part or part.strip() in ("from", "to"), part
    assert "Las Cruses" in fragment


def test_same_comparison_renders_the_same_bytes(comparison: Comparison, page: str):
    assert render_comparison_html(comparison) == page


def test_different_events_without_alignment(comparison: Comparison):
    different = replace(
        comparison,
        same_event=False,
        same_event_probability=0.02,
        alignment=(),
        conflicts=(),
        inconsistencies=(),
        only_a=tuple(range(13)),
        only_b=tuple(range(18)),
    )
    html = render_comparison_html(different)
    assert "Different events" in html and "ssr-different" in html
    assert not re.search(r'class="ssr-s ssr-g\d', html)


# --- display fixes: added details, the probability, right-to-left text, long words -------------

ARABIC_TITLE = "عاصفة تغمر البلدة القديمة في دريسدن"
ARABIC_SENTENCE = (
    "غمرت عاصفة البلدة القديمة في دريسدن يوم الثلاثاء، مما أجبر 300 من السكان على المغادرة."
)
HEBREW_REASON = "שתי הכתבות מדווחות על אותה סערה"
LONG_URL = "https://news.example/" + "a" * 280 + "/story"


def test_a_conflicting_value_is_not_also_an_added_detail_and_tags_are_distinct(
    comparison: Comparison,
):
    """As real comparisons give them (STS22 pair 1483805983_1484316170: A2 ≠ B5 on the day,
    and the pair A2–B5 also says B adds "Monday" and leaves out "Saturday")."""
    from samestory.compare.comparison import AlignedPair
    from samestory.render.html import comparison_context

    pairs = (
        AlignedPair(a=1, b=4, similarity=0.8, adds=("Monday", "Tavish Campbell"),
                    removes=("Oceans Canada", "Saturday", "B.C")),
        AlignedPair(a=1, b=5, similarity=0.7, adds=("Tavish Campbell", "monday"),
                    removes=("B.C", "oceans canada")),
        AlignedPair(a=2, b=5, similarity=0.7, adds=("Campbell River", "Tavish Campbell")),
    )  # fmt: skip
    changed = replace(
        comparison,
        alignment=pairs,
        conflicts=(Conflict(kind="date", a="Saturday", b="Monday", a_sentence=1, b_sentence=4),),
        inconsistencies=(),
    )
    context = comparison_context(changed)
    a, b = (side["sentences"] for side in context["sides"])
    assert a[1]["gives"] == ["Oceans Canada", "B.C"]  # not Saturday, each once, first spelling
    assert b[4]["adds"] == ["Tavish Campbell"]  # not Monday
    assert b[5]["adds"] == ["Tavish Campbell", "Campbell River"]
    html = render_comparison_html(changed)
    assert "not in B: Oceans Canada, B.C<" in html
    assert "adds Tavish Campbell, Campbell River<" in html
    assert "adds Monday" not in html and "Saturday," not in html


@pytest.mark.parametrize(
    ("probability", "same_event", "shown"),
    [
        (0.4996, False, "<50%"),
        (0.495, False, "<50%"),
        (0.494, False, "49%"),
        (0.02, False, "2%"),
        (0.5, True, "50%"),
        (0.5004, True, "50%"),
        (0.97, True, "97%"),
        (1.0, True, "100%"),
    ],
)
def test_shown_probability_never_reads_against_the_verdict(
    comparison: Comparison, probability: float, same_event: bool, shown: str
):
    html = render_comparison_html(
        replace(comparison, same_event=same_event, same_event_probability=probability)
    )
    verdict = re.search(r'<p class="ssr-verdict.*?</p>', html, re.S).group(0)
    assert ("Same event" if same_event else "Different events") in verdict
    assert f"{escape(shown)} probability of the same event" in verdict


def test_shown_probability_follows_the_comparisons_own_threshold(comparison: Comparison):
    html = render_comparison_html(
        replace(
            comparison, same_event=False, same_event_probability=0.6996, same_event_threshold=0.7
        )
    )
    assert f"{escape('<70%')} probability of the same event" in html


def test_score_colour_and_label_agree_with_the_number_shown(comparison: Comparison):
    """2.46 is shown "2.5": level 3, "somewhat dissimilar", in the bar's colour and its label."""
    html = render_comparison_html(replace(comparison, scores=replace(comparison.scores, time=2.46)))
    row = re.search(r'<tr class="ssr-lvl(\d)">\s*<th scope="row">Time</th>.*?</tr>', html, re.S)
    assert row and row.group(1) == "3"
    assert "<b>2.5</b> <span>somewhat dissimilar</span>" in row.group(0)


class Directions(HTMLParser):
    """Each run of text with the ``dir`` of its nearest element that sets one (None: none)."""

    VOID = frozenset({"meta", "br", "link", "input", "img", "hr", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.runs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("dir")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(tag in ("style", "title") for tag, _ in self.stack):
            direction = next((d for _, d in reversed(self.stack) if d), None)
            self.runs.append((data, direction))


def right_to_left_runs(html: str) -> list[tuple[str, str | None]]:
    """The runs of Arabic or Hebrew text, each with its direction."""
    parser = Directions()
    parser.feed(html)
    return [(t, d) for t, d in parser.runs if re.search(r"[\u0590-\u06ff]", t)]


def arabic_comparison(comparison: Comparison) -> Comparison:
    return replace(
        comparison,
        a=replace(comparison.a, title=ARABIC_TITLE),
        b=replace(comparison.b, title=ARABIC_TITLE + " (تحديث)"),
        sentences_a=(ARABIC_TITLE, ARABIC_SENTENCE, *comparison.sentences_a[2:]),
        conflicts=(
            Conflict(
                kind="place",
                a="دريسدن",
                b="Las Cruces",
                a_sentence=1,
                b_sentence=4,
                reason=HEBREW_REASON,
            ),
        ),
        reasons={**comparison.reasons, "geography": HEBREW_REASON},
    )


def test_right_to_left_titles_sentences_and_reasons_get_dir_auto(comparison: Comparison):
    html = render_comparison_html(arabic_comparison(comparison))
    runs = right_to_left_runs(html)
    shown = "".join(t for t, _ in runs)
    for text in (ARABIC_TITLE, ARABIC_SENTENCE, HEBREW_REASON, "(تحديث)"):
        assert text in shown
    assert runs and all(d == "auto" for _, d in runs), [r for r in runs if r[1] != "auto"]


def test_right_to_left_in_the_version_diff_and_the_story_fragment():
    from samestory.cluster.story import Fact, Member, StoryDetail
    from samestory.compare.diff import diff_versions
    from samestory.render.diff_html import render_diff_html
    from samestory.render.html import render_story_html

    old = f"{ARABIC_TITLE}\n\n{ARABIC_SENTENCE} وقال رئيس البلدية إن الأضرار ستكلف الملايين."
    new = old.replace("300", "450") + "\n\nومن المتوقع أن يبلغ النهر ذروته يوم الخميس."
    diff_page = render_diff_html(diff_versions(old, new))
    runs = right_to_left_runs(diff_page)
    assert len(runs) >= 5 and all(d == "auto" for _, d in runs), runs

    member = Member(id="a1", title=ARABIC_TITLE, lang="ar", published="2024-01-02",
                    source="aljazeera.net", url=None, near_duplicate_group=None)  # fmt: skip
    other = replace(member, id="a2", title=ARABIC_TITLE + " 2", near_duplicate_group="a1")
    detail = StoryDetail(
        id="s1", headline=ARABIC_TITLE, members=(member, other), languages=("ar",),
        sources=("aljazeera.net",), first_seen="2024-01-02", last_seen="2024-01-02",
        near_duplicate_groups=(("a1", "a2"),), merged_ids=(),
        timeline=(Fact(kind="place", text="دريسدن", first_reported_by="a1",
                       contradicted_by=(("a2", "لايبزيغ"),)),),
        compared=1,
    )  # fmt: skip
    runs = right_to_left_runs(render_story_html(detail))
    assert len(runs) >= 6 and all(d == "auto" for _, d in runs), runs


def css_rule(css: str, selector: str) -> str:
    """The declarations of every rule whose selector list names ``selector``, together."""
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    found = [body for names, body in rules if selector in [n.strip() for n in names.split(",")]]
    assert found, f"no rule for {selector}"
    return " ".join(found)


def test_long_words_wrap_in_every_cell_and_list():
    """A 300-character url breaks where it must (the browser test checks the page width)."""
    from samestory.render.html import stylesheet

    css = stylesheet()
    for selector in (".ssr-why", ".ssr-list li", ".ssr-dropped li", ".ssr-other", ".ssr-s",
                     ".ssr-title", ".ssr-meta"):  # fmt: skip
        assert "overflow-wrap: anywhere" in css_rule(css, selector), selector
    assert "nowrap" not in css_rule(css, ".ssr-other")
    from importlib import resources

    templates = resources.files("samestory.render").joinpath("templates")
    diff_css = templates.joinpath("diff.html.j2").read_text(encoding="utf-8")
    assert "overflow-wrap: anywhere" in css_rule(diff_css, ".ssr-diff-list li")
    story_css = templates.joinpath("_story_fragment.html.j2").read_text(encoding="utf-8")
    assert "overflow-wrap: anywhere" in css_rule(story_css, ".ssr-members td")
