"""The pages in a real browser: Playwright driving Debian's chromium against ``samestory serve``.

Skipped, with the reason, when Playwright or /usr/bin/chromium is missing (CI installs both).
Screenshots of every page go to $SAMESTORY_TEST_ARTIFACTS (default: the test's temp folder).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from test_web_support import EXAMPLE, LiveServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(
        "chromium not found: apt-get install -y chromium (never `playwright install`)",
        allow_module_level=True,
    )

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    folder = os.environ.get("SAMESTORY_TEST_ARTIFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("web-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page that records dialogs, page errors and console errors (what an XSS would cause)."""

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    yield watched
    context.close()


def test_compare_the_example_pair_through_the_form(server: LiveServer, page, artifacts):
    p = page.page
    p.goto(server.url + "/compare")
    p.screenshot(path=artifacts / "compare-form.png", full_page=True)
    p.set_input_files("#a_file", EXAMPLE / "first-report-web-copy.txt")
    p.set_input_files("#b_file", EXAMPLE / "update-translated.txt")
    p.get_by_role("button", name="Compare").click()
    p.wait_for_selector(".ssr-verdict")
    p.screenshot(path=artifacts / "compare-result.png", full_page=True)

    assert "same event" in p.inner_text(".ssr-verdict").lower()
    conflict = p.locator(".ssr-conflict").filter(has_text="Las Cruses")
    assert conflict.count() == 1
    marks = conflict.locator("mark.ssr-m-conflict").all_inner_texts()
    assert marks == ["Las Cruses", "Las Cruces"]
    in_text = p.locator(".ssr-sents mark.ssr-m-conflict").all_inner_texts()
    assert "Las Cruses" in in_text and "Las Cruces" in in_text  # highlighted in both reports
    names = p.locator(".ssr-inconsistency").filter(has_text="Jarrott")
    assert names.count() >= 1 and "Jarrett" in names.first.inner_text()
    assert p.locator(".ssr-scores tbody tr").count() == 7
    assert p.locator(".ssr-dropped summary").count() == 1  # boilerplate folded away
    assert not page.dialogs and not page.errors


def test_browse_stories_open_one_and_compare_two_members(server: LiveServer, page, artifacts):
    p = page.page
    p.goto(server.url + "/stories")
    p.screenshot(path=artifacts / "stories.png", full_page=True)
    p.get_by_role("link", name="Fatal shooting").first.click()
    p.wait_for_selector("#members-h")
    p.screenshot(path=artifacts / "story.png", full_page=True)
    assert p.locator(".members tbody tr").count() >= 3
    assert p.locator(".groups li.panel").count() == 1  # the near-copy pair
    assert p.locator(".timeline > li").count() >= 1
    p.get_by_role("button", name="Compare A with B").click()  # defaults: first vs a non-copy
    p.wait_for_selector(".ssr-verdict")
    p.screenshot(path=artifacts / "story-compare.png", full_page=False)
    assert "same event" in p.inner_text(".ssr-verdict").lower()
    assert not page.dialogs and not page.errors

    p.goto(server.url + "/stories?q=storm")
    assert p.locator(".story-card").count() == 1


def test_hostile_article_never_runs_script(server: LiveServer, page, artifacts):
    p = page.page
    hostile_story, hostile_id = server.stories[4], server.ids[4]
    for name, path in (
        ("stories", "/stories?source=evil"),
        ("hostile-story", f"/stories/{hostile_story}"),
        ("hostile-article", f"/articles/{hostile_id}"),
        ("hostile-compare", f"/compare?a={hostile_id}&b={server.ids[3]}"),
    ):
        p.goto(server.url + path)
        p.wait_for_load_state("load")
        p.screenshot(path=artifacts / f"{name}.png", full_page=True)
        assert p.evaluate("window.__pwned === undefined"), name
        assert p.locator("img").count() == 0, name  # the payload stays text
        scripts = p.eval_on_selector_all("script", "els => els.map(e => e.src)")
        assert scripts == [server.url + "/static/app.js"], name
        assert p.locator("a[href^='javascript:']").count() == 0, name
    assert "<img src=x" in p.content().replace("&lt;", "<") and "onerror" in p.inner_text("body")
    assert not page.dialogs, page.dialogs
    assert not page.errors, page.errors  # not even a CSP refusal: nothing tried to run


def test_phone_width_dark_mode_and_keyboard(server: LiveServer, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    p = context.new_page()
    try:
        p.goto(server.url + f"/stories/{server.stories[0]}")
        p.screenshot(path=artifacts / "story-phone-dark.png", full_page=True)
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        background = p.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(22, 24, 28)"  # the dark palette
        p.keyboard.press("Tab")  # the first stop is the skip link
        assert p.evaluate("document.activeElement.textContent") == "Skip to content"
        p.locator("input[name='b']").nth(2).focus()
        p.keyboard.press("Space")
        p.get_by_role("button", name="Compare A with B").focus()
        p.keyboard.press("Enter")
        p.wait_for_selector(".ssr-verdict")
        p.screenshot(path=artifacts / "compare-phone-dark.png", full_page=False)
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


LONG_URL = "https://news.example/" + "a" * 280 + "/story"  # 300 characters, no break
ARABIC_TITLE = "عاصفة تغمر البلدة القديمة في دريسدن"
ARABIC_SENTENCE = (
    "غمرت عاصفة البلدة القديمة في دريسدن يوم الثلاثاء، مما أجبر 300 من السكان على المغادرة."
)

# Every element that holds Arabic or Hebrew text directly, with its computed direction.
RTL_ELEMENTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (/[\\u0590-\\u06ff]/.test(node.textContent)) {
      const el = node.parentElement;
      out.push([el.tagName + "." + el.className, getComputedStyle(el).direction]);
    }
  }
  return out;
}"""


def _reports_with_a_long_url_and_arabic():
    """The example comparison, a version diff and a story, each with a 300-character url in a
    sentence, a reason, a conflict, a dropped line and a title, and Arabic text."""
    from dataclasses import replace

    from samestory.cluster.story import Fact, Member, StoryDetail
    from samestory.compare.comparison import AlignedPair, Conflict
    from samestory.compare.diff import diff_versions
    from samestory.render.diff_html import render_diff_html
    from samestory.render.html import render_comparison_html, render_story_html
    from test_render_example import example_comparison

    base = example_comparison()
    comparison = replace(
        base,
        a=replace(base.a, title=ARABIC_TITLE, dropped=(f"Read more at {LONG_URL}",)),
        b=replace(base.b, title=f"Update {LONG_URL}"),
        sentences_a=(ARABIC_TITLE, ARABIC_SENTENCE, f"Police said so at {LONG_URL} today.",
                     *base.sentences_a[3:]),
        alignment=(*base.alignment, AlignedPair(a=2, b=3, similarity=0.6, adds=(LONG_URL,))),
        conflicts=(Conflict(kind="place", a="دريسدن", b=LONG_URL, a_sentence=1, b_sentence=4,
                            reason=f"تقول أ دريسدن وتقول ب {LONG_URL}"),),
        reasons={**base.reasons, "geography": f"both name {LONG_URL}"},
    )  # fmt: skip
    old = f"{ARABIC_TITLE}\n\n{ARABIC_SENTENCE}\n\nDetails at {LONG_URL} for readers."
    new = old.replace("300", "450").replace("readers", "all readers")
    member = Member(
        id="a1",
        title=f"{ARABIC_TITLE} {LONG_URL}",
        lang="ar",
        published="2024-01-02",
        source=LONG_URL,
        url=None,
        near_duplicate_group=None,
    )
    story = StoryDetail(
        id="s1", headline=ARABIC_TITLE, members=(member, replace(member, id="a2")),
        languages=("ar",), sources=(LONG_URL,), first_seen="2024-01-02", last_seen="2024-01-02",
        near_duplicate_groups=(), merged_ids=(),
        timeline=(Fact(kind="place", text=LONG_URL, first_reported_by="a1",
                       contradicted_by=(("a2", ARABIC_TITLE),)),),
        compared=1,
    )  # fmt: skip
    return {
        "comparison": render_comparison_html(comparison),
        "diff": render_diff_html(diff_versions(old, new)),
        "story": "<!doctype html><meta charset=utf-8><body>" + render_story_html(story),
    }


@pytest.mark.parametrize("width", [390, 1280])
def test_long_urls_wrap_and_arabic_reads_right_to_left(browser, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    p = context.new_page()
    try:
        for name, html in _reports_with_a_long_url_and_arabic().items():
            p.set_content(html)
            p.screenshot(path=artifacts / f"long-url-{name}-{width}.png", full_page=True)
            scroll, client = p.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, f"{name} at {width}px scrolls sideways ({scroll}px)"
            directions = p.evaluate(RTL_ELEMENTS)
            assert len(directions) >= 3, (name, directions)
            wrong = [d for d in directions if d[1] != "rtl"]
            assert not wrong, (name, wrong)
    finally:
        context.close()


def test_compare_page_with_a_long_url_fits_a_phone(server: LiveServer, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    p = context.new_page()
    try:
        p.goto(server.url + "/compare")
        first = (EXAMPLE / "first-report-web-copy.txt").read_text(encoding="utf-8")
        update = (EXAMPLE / "update-translated.txt").read_text(encoding="utf-8")
        p.fill("#a_text", first.replace("Thursday led", f"Thursday (see {LONG_URL}) led", 1))
        p.fill("#b_text", f"{ARABIC_TITLE}\n\n{update}")
        p.get_by_role("button", name="Compare").click()
        p.wait_for_selector(".ssr-verdict")
        p.screenshot(path=artifacts / "compare-long-url-phone.png", full_page=True)
        assert LONG_URL in p.content()
        scroll, client = p.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"the result page scrolls sideways on a phone ({scroll}px)"
        assert p.evaluate(RTL_ELEMENTS) and all(d == "rtl" for _, d in p.evaluate(RTL_ELEMENTS))
    finally:
        context.close()
