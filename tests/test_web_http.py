"""HTTP details of ``samestory serve``, against the real server the web tests share: HEAD is
answered wherever GET is, and every error on an API path is JSON in the one error shape."""

from __future__ import annotations

import pytest

from test_web_support import TOKEN, LiveServer

httpx = pytest.importorskip("httpx")

SECURITY_HEADERS = ("x-content-type-options", "referrer-policy", "content-security-policy")


def _json_error(response, status: int, kind: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) >= {"status", "error", "message"} and body["status"] == status
    assert body["message"] and (kind is None or body["error"] == kind)
    return body


def test_head_answers_wherever_get_does(server: LiveServer, client):
    paths = [
        "/healthz", "/api/stories", "/api/stories?q=storm", f"/api/stories/{server.stories[0]}",
        f"/api/articles/{server.ids[4]}", "/stories", f"/stories/{server.stories[4]}",
        f"/articles/{server.ids[4]}", "/compare", "/docs", "/openapi.json",
        "/static/swagger/swagger-ui.css",
    ]  # fmt: skip
    for path in paths:
        got = client.get(path)
        head = client.head(path)
        assert got.status_code == 200, (path, got.text)
        assert head.status_code == 200, (path, head.status_code, head.text)
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers["content-length"] == str(len(got.content)), path
        for name in SECURITY_HEADERS:  # the docs page has no CSP of ours, with GET or HEAD
            assert head.headers.get(name) == got.headers.get(name), (path, name)
        assert "content-security-policy" in head.headers or path == "/docs"


def test_head_gets_the_status_get_gets(client):
    for path, status in (("/api/nothing-here", 404), ("/api/stories/zzz-none", 404),
                         ("/api/stories?page=0", 422), ("/api/compare", 405)):  # fmt: skip
        got, head = client.get(path), client.head(path)
        assert got.status_code == head.status_code == status, path
        assert head.content == b"" and head.headers["content-type"].startswith("application/json")
    assert client.head("/api/compare").headers["allow"] == "POST"
    page = client.head("/stories/zzz-none")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    home = client.head("/")
    assert home.status_code == 302 and home.headers["location"] == "/stories"


def test_head_is_refused_where_only_post_is(client):
    # a HEAD on a POST-only route is refused like a GET, never run as the POST
    head = client.head("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"})
    assert head.status_code == 405 and head.content == b""


def test_api_errors_are_json_even_where_starlette_answers(client):
    json_body = {"content-type": "application/json"}
    for path in ("/api/compare", "/api/articles"):
        auth = {"Authorization": f"Bearer {TOKEN}", **json_body}
        body = _json_error(client.post(path, content=b"{not json", headers=auth), 422)
        assert "not valid JSON" in body["message"]
        for content in (b"\xff\xfe{", b"[" * 100_000):  # no Unicode; nested too deep
            _json_error(client.post(path, content=content, headers=auth), 422, "invalid_input")
    for content_type, content in (
        ("multipart/form-data", b"a=b"),  # no boundary
        ("multipart/form-data; boundary=xyz", b"garbage"),
        ("multipart/form-data; boundary=xyz",
         b'--xyz\r\nContent-Disposition: form-data\r\n\r\nv\r\n--xyz--\r\n'),  # no name
    ):  # fmt: skip
        bad = client.post("/api/compare", content=content, headers={"content-type": content_type})
        _json_error(bad, 400, "bad_request")
    many = b"".join(
        b'--xyz\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nv\r\n' % n for n in range(1200)
    )
    _json_error(
        client.post("/api/compare", content=many + b"--xyz--\r\n",
                    headers={"content-type": "multipart/form-data; boundary=xyz"}),
        400, "bad_request",
    )  # fmt: skip


def test_a_foreign_host_is_refused_in_the_error_shape(client):
    for method in ("GET", "HEAD"):
        api = client.request(method, "/api/stories", headers={"Host": "attacker.example"})
        assert api.status_code == 400
        assert api.headers["content-type"].startswith("application/json")
        if method == "GET":
            assert "localhost" in _json_error(api, 400, "bad_request")["message"]
        else:
            assert api.content == b""
    page = client.get("/stories", headers={"Host": "attacker.example"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "localhost" in page.text and "Traceback" not in page.text


def test_head_sends_no_body_from_the_app_itself(tmp_path):
    """In process, straight through ASGI: uvicorn and httpx both drop a HEAD body on their
    own, so only the app's messages show that it sends none."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from samestory.web import ServerOptions, create_app

    app = create_app(ServerOptions(db=tmp_path / "s.db", warm=False), allowed_hosts=["localhost"])

    async def call(method: str, path: str, host: str) -> tuple[int, dict[bytes, bytes], bytes]:
        sent: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
                 "query_string": b"", "root_path": "", "headers": [(b"host", host.encode())],
                 "server": (host, 80), "client": ("127.0.0.1", 50000)}  # fmt: skip
        await app(scope, receive, send)
        start, *bodies = sent
        assert start["type"] == "http.response.start"
        return start["status"], dict(start["headers"]), b"".join(b.get("body", b"") for b in bodies)

    for path, host, status in (("/healthz", "localhost", 200), ("/stories", "localhost", 200),
                               ("/api/nothing", "localhost", 404),
                               ("/healthz", "attacker.example", 400)):  # fmt: skip
        # a thread of its own: the browser tests' sync Playwright leaves a loop running here
        with ThreadPoolExecutor(1) as pool:
            got = pool.submit(asyncio.run, call("GET", path, host)).result()
            head = pool.submit(asyncio.run, call("HEAD", path, host)).result()
        assert got[0] == head[0] == status, (path, host)
        assert got[2] and head[2] == b"", (path, host)
        assert head[1][b"content-length"] == str(len(got[2])).encode()
