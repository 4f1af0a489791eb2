"""A real ``samestory serve`` process shared by the web tests (API and browser).

Started once per test run on a free loopback port with a fresh SQLite store, filled through
the API with a small corpus: the bundled example pair, a near-copy of its first report, an
unrelated report, and a hostile one whose title and text carry script payloads. The module
holds no tests itself; each web test module wraps ``live_server`` in a session fixture.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi", reason="the server extra is not installed")
pytest.importorskip("uvicorn", reason="the server extra is not installed")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "event-pair"
TOKEN = "test-token-0123456789"
MAX_BODY_MB = 1
HOSTILE_TITLE = (
    "<img src=x onerror=\"window.__pwned=1;alert('title')\">Budget <script>alert('t')</script>"
)
HOSTILE_TEXT = (
    "Council approves budget. The city council of Springfield approved a budget of 4 million "
    "dollars on Tuesday <script>window.__pwned=2;alert('text')</script> after a long debate. "
    "<img src=x onerror=alert(3)> The mayor said taxes would not rise. "
    '<a href="javascript:alert(4)">details</a>'
)


def corpus() -> list[dict[str, str]]:
    first = (EXAMPLE / "first-report-web-copy.txt").read_text(encoding="utf-8")
    update = (EXAMPLE / "update-translated.txt").read_text(encoding="utf-8")
    return [
        {"text": first, "published": "2023-02-06", "source": "lcsun", "lang": "en",
         "url": "https://www.lcsun-news.example/story/officer-shot"},
        {"text": update, "published": "2023-02-07", "source": "diario", "lang": "en"},
        {"text": first.replace("Thursday", "Thursday morning"), "published": "2023-02-06",
         "source": "wire", "lang": "en"},
        {"title": "Storm floods coastal town", "published": "2023-03-02", "source": "coast",
         "lang": "en",
         "text": "Heavy rain flooded streets in Brighton on Sunday, forcing 200 residents from "
         "their homes. Emergency services said no one was hurt. The storm is expected to move "
         "east overnight, and forecasters warned of more rain on Monday."},
        {"title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "published": "2023-03-01",
         "source": "evil", "lang": "en"},
    ]  # fmt: skip


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    ids: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


_SERVER: LiveServer | None = None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def live_server(tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    """The shared server, started (and filled) on first use."""
    global _SERVER
    if _SERVER is not None and _SERVER.process.poll() is None:
        return _SERVER
    folder = tmp_path_factory.mktemp("web-server")
    port = _free_port()
    log = folder / "server.log"
    env = {**os.environ, "SAMESTORY_TOKEN": TOKEN}
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "samestory", "serve", "--db", str(folder / "stories.db"),
             "--port", str(port), "--max-body-mb", str(MAX_BODY_MB)],
            stdout=handle, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"samestory serve exited ({process.returncode}): {log.read_text()}")
        try:
            if httpx.get(server.url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"samestory serve did not answer in 60 s: {log.read_text()}")
        time.sleep(0.2)
    with server.client(headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        response = client.post("/api/articles", json={"articles": corpus()})
        assert response.status_code == 200, response.text
        added = response.json()["articles"]
    server.ids = [a["id"] for a in added]
    server.stories = [a["story_id"] for a in added]
    _SERVER = server
    return server
