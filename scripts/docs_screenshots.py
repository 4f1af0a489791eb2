"""Take the screenshots of the documentation: the web pages and the standalone HTML report.

Run from the repository root with the dev venv (server extra, Playwright, Debian chromium):

    .venv/bin/python scripts/docs_screenshots.py [docs/images]

It starts ``samestory serve`` on a fresh store in a temporary folder, adds the bundled example
pair, a near-copy of its first report and an unrelated report through the API, and drives
/usr/bin/chromium (never ``playwright install``); the story's notebook view is its
``_repr_html_`` in a bare page. Pictures are cut to at most MAX_HEIGHT pixels
so the PNGs stay small.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "event-pair"
CHROMIUM = "/usr/bin/chromium"
WIDTH, MAX_HEIGHT = 1100, 1500


def corpus() -> list[dict[str, str]]:
    first = (EXAMPLE / "first-report-web-copy.txt").read_text(encoding="utf-8")
    update = (EXAMPLE / "update-translated.txt").read_text(encoding="utf-8")
    return [
        {"text": first, "published": "2023-02-02", "source": "lcsun", "lang": "en",
         "url": "https://www.lcsun-news.example/story/officer-shot"},
        {"text": update, "published": "2023-02-03", "source": "diario", "lang": "en"},
        {"text": first.replace("Thursday", "Thursday morning"), "published": "2023-02-02",
         "source": "wire", "lang": "en"},
        {"title": "Storm floods coastal town", "published": "2023-02-03", "source": "coast",
         "lang": "en",
         "text": "Heavy rain flooded streets in Brighton on Sunday, forcing 200 residents from "
         "their homes. Emergency services said no one was hurt. The storm is expected to move "
         "east overnight, and forecasters warned of more rain on Monday."},
    ]  # fmt: skip


def story_fragment_page(db: Path) -> str:
    """The largest story's ``_repr_html_`` (what Jupyter shows), wrapped in a bare page."""
    import samestory
    from samestory.cluster.story import story_detail

    with samestory.open_store(db) as store:
        detail = story_detail(store, store.story_rows()[0].id)
    return f'<!doctype html><meta charset="utf-8"><body style="margin:0">{detail._repr_html_()}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def shoot(page, path: Path) -> None:
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    page.screenshot(path=path, clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    report = work / "report.html"
    subprocess.run(
        [sys.executable, "-m", "samestory", "compare", str(EXAMPLE / "first-report-web-copy.txt"),
         str(EXAMPLE / "update-translated.txt"), "--format", "html", "-o", str(report)],
        check=True,
    )  # fmt: skip
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "samestory", "serve", "--db", str(work / "stories.db"),
         "--port", str(port)],
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("samestory serve did not start")
            time.sleep(0.2)
        added = httpx.post(url + "/api/articles", json={"articles": corpus()}, timeout=300)
        added.raise_for_status()
        notebook = work / "notebook-story.html"
        notebook.write_text(story_fragment_page(work / "stories.db"), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": WIDTH, "height": 900})
            page.goto(report.as_uri())
            shoot(page, out / "html-report.png")
            page.goto(url + "/stories")
            shoot(page, out / "web-stories.png")
            page.get_by_role("link", name="Fatal shooting").first.click()
            page.wait_for_selector("#members-h")
            shoot(page, out / "web-story.png")
            page.goto(url + "/compare")
            shoot(page, out / "web-compare-form.png")
            page.set_input_files("#a_file", EXAMPLE / "first-report-web-copy.txt")
            page.set_input_files("#b_file", EXAMPLE / "update-translated.txt")
            page.get_by_role("button", name="Compare").click()
            page.wait_for_selector(".ssr-verdict")
            shoot(page, out / "web-compare-result.png")
            page.goto(notebook.as_uri())
            shoot(page, out / "notebook-story.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images")
