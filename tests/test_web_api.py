"""The HTTP API against a real ``samestory serve`` process, plus in-process checks of edge cases."""

from __future__ import annotations

import json

import pytest

from test_web_support import EXAMPLE, MAX_BODY_MB, TOKEN, LiveServer, corpus

httpx = pytest.importorskip("httpx")


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["error"] and body["message"]
    assert "Traceback" not in response.text
    return body


def test_health_and_loopback_default(server: LiveServer, client):
    assert server.url.startswith("http://127.0.0.1:")
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["articles"] == 5 and body["stories"] >= 3


def test_ingest_assigns_stories_incrementally(server: LiveServer, client):
    first, update, copy, storm, hostile = server.stories
    assert first == update == copy  # the same event, whatever the wording
    assert len({first, storm, hostile}) == 3
    again = client.post(
        "/api/articles",
        json={"text": "Heavy rain flooded streets in Brighton on Sunday, forcing 200 residents "
              "from their homes. Emergency services said no one was hurt.",
              "title": "Brighton floods: residents leave homes", "published": "2023-03-02"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )  # fmt: skip
    assert again.status_code == 200, again.text
    (added,) = again.json()["articles"]
    assert added["new"] is True and added["story_id"] == storm  # joins the existing story
    storm_article = corpus()[3]
    repeat = client.post(
        "/api/articles", json=[storm_article], headers={"Authorization": f"Bearer {TOKEN}"}
    )  # a plain list works too; a stored article is not stored twice
    assert repeat.json()["articles"] == [{"id": server.ids[3], "story_id": storm, "new": False}]


def test_cross_site_form_posts_cannot_write(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    form = client.post("/api/articles", data={"text": "Some report."}, headers=auth)
    _error(form, 415)
    plain = client.post(
        "/api/articles", content=b'{"text": "Some report."}',
        headers={**auth, "content-type": "text/plain"},
    )  # fmt: skip
    _error(plain, 415)


def test_write_needs_the_token(client):
    body = _error(client.post("/api/articles", json={"text": "Some report."}), 401)
    for content in (b"not json", b"[]", b'{"title": 5}'):  # refused before the body is judged
        headers = {"content-type": "application/json"}
        _error(client.post("/api/articles", content=content, headers=headers), 401)
    assert "Bearer" in body["message"]
    wrong = client.post(
        "/api/articles", json={"text": "Some report."}, headers={"Authorization": "Bearer nope"}
    )
    _error(wrong, 401)


def test_stories_list_filters_and_pages(server: LiveServer, client):
    everything = client.get("/api/stories").json()
    assert everything["total"] >= 3
    assert everything["stories"][0]["id"] == server.stories[0]  # largest first
    assert everything["stories"][0]["size"] >= 3
    assert client.get("/api/stories", params={"q": "storm"}).json()["total"] == 1
    assert client.get("/api/stories", params={"source": "evil"}).json()["total"] == 1
    assert client.get("/api/stories", params={"lang": "de"}).json()["total"] == 0
    dated = client.get("/api/stories", params={"since": "2023-03-01", "until": "2023-03-01"})
    assert [s["id"] for s in dated.json()["stories"]] == [server.stories[4]]
    paged = client.get("/api/stories", params={"per_page": 1, "page": 2}).json()
    assert len(paged["stories"]) == 1 and paged["pages"] == paged["total"]
    _error(client.get("/api/stories", params={"page": 0}), 422)
    _error(client.get("/api/stories", params={"page": 10**20}), 422)  # past SQLite's integers
    # a NUL would cut SQLite's LIKE pattern short and match every story
    assert client.get("/api/stories", params={"q": "\x00"}).json()["total"] == everything["total"]
    assert client.get("/api/stories", params={"q": "storm\x00"}).json()["total"] == 1
    body = _error(
        client.get("/api/stories", params={"since": "2023-04-01", "until": "2023-03-01"}), 422
    )
    assert "swap" in body["message"]


def test_story_and_article(server: LiveServer, client):
    story = client.get(f"/api/stories/{server.stories[0]}").json()
    member_ids = {m["id"] for m in story["members"]}
    assert set(server.ids[:3]) <= member_ids
    assert [sorted(g) for g in story["near_duplicate_groups"]] == [
        sorted([server.ids[0], server.ids[2]])
    ]
    assert story["timeline"] and story["first_seen"] == "2023-02-06"
    assert client.get(f"/api/stories/{server.stories[0][:6]}").json()["id"] == story["id"]
    # a prefix is compared exactly: no case folding, no LIKE wildcards, not too short
    for odd in (server.stories[0][:6].upper(), server.stories[0][:5] + "_", "%", "s"):
        _error(client.get(f"/api/stories/{odd}"), 404)
    hint = _error(client.get(f"/api/stories/{server.ids[4]}"), 404)["message"]
    assert "article id" in hint and server.stories[4] in hint
    article = client.get(f"/api/articles/{server.ids[4]}").json()
    assert article["title"].startswith("<img src=x") and article["story_id"] == server.stories[4]
    for path in ("/api/stories/zzz-none", "/api/articles/zzz-none"):
        assert ".db" not in _error(client.get(path), 404)["message"]  # no server paths


def test_compare_json_matches_the_cli_shape(client):
    a = (EXAMPLE / "first-report-web-copy.txt").read_text(encoding="utf-8")
    b = (EXAMPLE / "update-translated.txt").read_text(encoding="utf-8")
    result = client.post("/api/compare", json={"a": a, "b": {"text": b, "lang": "en"}})
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["same_event"] is True
    assert set(body["scores"]) >= {"geography", "entities", "time", "narrative", "overall"}
    assert any({c["a"], c["b"]} == {"Las Cruses", "Las Cruces"} for c in body["conflicts"])


def test_compare_uploaded_files(client):
    files = {
        "a": ("first.txt", (EXAMPLE / "first-report-web-copy.txt").read_bytes(), "text/plain"),
        "b": ("update.html", b"<html><body><article><h1>Officer named</h1><p>"
              + (EXAMPLE / "update-translated.txt").read_bytes() + b"</p></article></body></html>",
              "text/html"),
    }  # fmt: skip
    body = client.post("/api/compare", files=files).json()
    assert body["same_event"] is True
    assert body["b"]["title"] == "Officer named"  # HTML was extracted, not compared as markup


def test_compare_input_errors_are_4xx_json(client):
    _error(client.post("/api/compare", json={"a": "Only one report."}), 422)
    _error(client.post("/api/compare", json={"a": " ", "b": "Some report."}), 422)
    _error(
        client.post(
            "/api/compare", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
    )
    _error(client.post("/api/compare", content=b"a=b", headers={"content-type": "text/plain"}), 415)
    # a field of several shapes: the message names the shape the client sent, not the first
    shaped = _error(client.post("/api/compare", json={"a": {"text": ""}, "b": "Report."}), 422)
    assert shaped["message"].startswith("a.text: ")
    listed = _error(
        client.post(
            "/api/articles",
            json=[{"text": "A long enough report."}, {"text": "Another report.", "extra": 1}],
            headers={"Authorization": f"Bearer {TOKEN}"},
        ),
        422,
    )
    assert listed["message"].startswith("1.extra: ")
    _error(client.post("/api/compare", files={"a": ("a.bin", b"\x00\x01\x02" * 100)}), 422)
    wrong_method = _error(client.get("/api/compare"), 405)
    assert wrong_method["message"] == "GET is not allowed at /api/compare; use POST"
    _error(client.get("/api/nothing-here"), 404)


def test_bodies_over_the_limit_get_413(client):
    big = "word " * (MAX_BODY_MB * 250_000)
    body = _error(client.post("/api/compare", json={"a": big, "b": big}), 413)
    assert "--max-body-mb" in body["message"]

    def chunks():  # no Content-Length: the limit is applied while reading
        for _ in range(MAX_BODY_MB * 20):
            yield b"x" * 60_000

    _error(
        client.post("/api/compare", content=chunks(), headers={"content-type": "application/json"}),
        413,
    )


def test_pages_escape_article_markup_and_send_a_csp(server: LiveServer, client):
    for path in ("/stories", f"/stories/{server.stories[4]}", f"/articles/{server.ids[4]}"):
        page = client.get(path)
        assert page.status_code == 200
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;img src=x onerror=" in page.text
        assert 'href="javascript:' not in page.text


def test_foreign_host_header_is_refused(client):
    # DNS rebinding: a page on another origin resolving to 127.0.0.1 must not reach the API
    assert client.get("/healthz", headers={"Host": "attacker.example"}).status_code == 400


def test_page_errors_are_pages(client):
    page = client.get("/stories/zzz-none")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "no story" in page.text and "Traceback" not in page.text
    assert client.get("/stories", params={"since": "yesterday"}).status_code == 422
    for page in ("²", "10000000000000000000000"):  # a digit int() refuses; past SQLite's range
        assert client.get("/stories", params={"page": page}).status_code == 422
    beyond = client.get("/stories", params={"page": 999})
    assert beyond.status_code == 200 and "No stories on page 999" in beyond.text


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/compare", "/api/articles", "/api/stories", "/api/stories/{story_id}",
                 "/api/articles/{article_id}", "/healthz"):  # fmt: skip
        assert path in spec["paths"]
    body = spec["paths"]["/api/compare"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body and "a" in body["application/json"]["schema"]["properties"]

    def refs(node):
        if isinstance(node, dict):
            yield from ([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    known = {f"#/components/schemas/{name}" for name in spec["components"]["schemas"]}
    assert set(refs(spec)) <= known  # the docs page can resolve every schema


def test_api_docs_work_offline(client):
    """The Swagger UI page loads its assets from this server, not from a CDN."""
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in page.text and "/openapi.json" in page.text
    assert "cdn." not in page.text and "https://" not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/swagger/{asset}").status_code == 200


# -- in process: what a live server cannot easily be made to do ------------------------------


def test_unexpected_errors_are_a_plain_500(tmp_path):
    import asyncio

    from samestory.web import ServerOptions, create_app

    app = create_app(ServerOptions(db=tmp_path / "s.db", warm=False))

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get("/api/boom")

    body = _error(asyncio.run(get()), 500)
    assert "secret internals" not in json.dumps(body)


def test_options_are_checked(tmp_path):
    from samestory.web import ServerOptions

    with pytest.raises(ValueError, match="8 characters"):
        ServerOptions(db=tmp_path / "s.db", token="short")
    with pytest.raises(ValueError, match="max_body_bytes"):
        ServerOptions(db=tmp_path / "s.db", max_body_bytes=10)
    from typer.testing import CliRunner

    from samestory.cli import app

    db = str(tmp_path / "s.db")
    for option, value in (("--token", "short"), ("--max-body-mb", "inf")):
        result = CliRunner().invoke(app, ["serve", "--db", db, option, value])
        assert result.exit_code == 2, result.output
        assert "samestory: error:" in result.output and "Traceback" not in result.output


def test_serve_without_the_extra_says_how_to_install(monkeypatch):
    import builtins

    from typer.testing import CliRunner

    from samestory.cli import app

    real_import = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError("No module named 'uvicorn'", name="uvicorn")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    result = CliRunner().invoke(app, ["serve", "--db", "unused.db"])
    assert result.exit_code == 2
    assert "pip install 'samestory[server]'" in result.output


def test_serve_has_help():
    from typer.testing import CliRunner

    from samestory.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--token" in result.output and "--max-body-mb" in result.output


def test_a_store_deleted_under_the_server_is_reported_not_recreated(tmp_path):
    import asyncio

    from samestory.web import ServerOptions, create_app

    db = tmp_path / "s.db"
    app = create_app(ServerOptions(db=db, warm=False))
    for leftover in tmp_path.glob("s.db*"):
        leftover.unlink()

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get("/healthz")

    body = _error(asyncio.run(get()), 503)
    assert "no store" in json.dumps(body)
    assert not db.exists()


def test_an_empty_list_of_articles_is_one_problem(client):
    body = _error(
        client.post(
            "/api/articles", json={"articles": []}, headers={"Authorization": f"Bearer {TOKEN}"}
        ),
        422,
    )
    assert "at least 1 item" in body["message"] and "more problem" not in body["message"]
