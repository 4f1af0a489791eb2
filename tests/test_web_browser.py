"""The pages in a real browser: Playwright driving Debian's chromium against ``samestory serve``.

Skipped, with the reason, when Playwright or /usr/bin/chromium is missing (CI installs both).
Screenshots of every page go to $SAMESTORY_TEST_ARTIFACTS (default: the test's temp folder).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from test_web_support import EXAMPLE, LiveServer, live_server

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
def server(tmp_path_factory):
    running = live_server(tmp_path_factory)
    yield running
    running.stop()


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
