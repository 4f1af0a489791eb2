"""The FastAPI application: options, middleware (body limit, security headers), routes.

``create_app(ServerOptions(db=...))`` builds the app; ``samestory serve`` runs it with uvicorn.
The store is opened per request (SQLite connections belong to one thread), so the app holds no
connection between requests and several server processes may share one store file.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from .errors import (
    UnauthorizedError,
    UnsupportedMediaError,
    error_response,
    install_error_handlers,
)

if TYPE_CHECKING:
    from ..store import Store

DEFAULT_MAX_BODY_BYTES = 10_000_000  # two long HTML pages with room to spare

# Pages load our own script and style only; no inline script, no frames, no other origin.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The interactive API docs (Swagger UI, shipped under static/swagger so they work offline)
# start with an inline script: they keep their own, looser policy.
DOCS_PATHS = ("/docs",)


@dataclass(frozen=True, kw_only=True)
class ServerOptions:
    """How the server behaves.

    ``token``: when set, write endpoints need ``Authorization: Bearer <token>``.
    ``max_body_bytes``: larger requests get 413 before the body is read.
    ``max_compared``: members compared with the first report for a story's fact timeline
    (each comparison costs an analysis on first view, then comes from the store's cache).
    ``warm``: load the models in the background at start, so the first compare is not slow.
    """

    db: Path
    token: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_compared: int = 20
    warm: bool = True

    def __post_init__(self) -> None:
        from ..errors import InputError

        if self.max_body_bytes < 1024:
            raise InputError("max_body_bytes", f"must be at least 1024, got {self.max_body_bytes}")
        if self.token is not None and len(self.token) < 8:
            raise InputError(
                "token",
                "must have at least 8 characters; use a random one, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe())'",
            )


def create_app(options: ServerOptions, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web application over the store at ``options.db`` (created when missing)."""
    from ..store import open_store
    from . import api, pages

    open_store(options.db).close()  # fail now, with a clear message, if it cannot be opened
    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        title="samestory",
        version=__version__,
        description="Do these news reports describe the same event? Compare two reports, add "
        "articles to stories, browse stories. Errors are JSON: `{status, error, message}`.",
    )
    app.state.options = options
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("samestory.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="samestory API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    app.add_middleware(BodyLimitMiddleware, max_bytes=options.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    if allowed_hosts:
        app.add_middleware(HostCheckMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(HeadMiddleware)  # outermost: even a refused host gets no body on HEAD
    if options.warm:
        from .service import warm_up

        threading.Thread(target=warm_up, name="samestory-warm-up", daemon=True).start()
    return app


def options_of(request: Request) -> ServerOptions:
    options: ServerOptions = request.app.state.options
    return options


@contextmanager
def request_store(request: Request) -> Iterator[Store]:
    """The store, opened for one request in the thread that uses it. It was created when the
    app was; a store deleted since is reported (503), not silently re-created empty."""
    from ..store import open_store

    store = open_store(options_of(request).db, create=False)
    try:
        yield store
    finally:
        store.close()


def require_token(request: Request) -> None:
    """Dependency of write endpoints: checks the Bearer token when the server has one."""
    token = options_of(request).token
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise UnauthorizedError(
            "this server needs a token to write: send the header 'Authorization: Bearer TOKEN' "
            "with the token given to `samestory serve --token`"
        )


def require_json(request: Request) -> None:
    """Dependency of JSON write endpoints: 415 for other bodies.

    A page on another site can post a form or text/plain to this server without asking, but
    not application/json, so this also keeps cross-site forms from writing to the store.
    """
    content_type = request.headers.get("content-type", "application/json")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise UnsupportedMediaError(
            f"send the articles as application/json, not {content_type.split(';')[0]}"
        )


class BodyLimitMiddleware:
    """413 for bodies over ``max_bytes``: by Content-Length at once, else while reading.

    A body without a length (chunked) is read here up to the limit, then handed on, so the
    route never sees a partial body and the client always gets the same clear answer.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_bytes:
                await self._too_large(request, scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._too_large(request, scope, receive, send)
                return
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(
        self, request: Request, scope: Scope, receive: Receive, send: Send
    ) -> None:
        limit_mb = self.max_bytes / 1_000_000
        response = error_response(
            request,
            413,
            "too_large",
            f"the request body is larger than this server accepts ({limit_mb:g} MB); send "
            "smaller files, or start the server with a larger --max-body-mb",
        )
        await response(scope, receive, send)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and friends on every response (the docs pages keep their own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(DOCS_PATHS)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if not docs:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                    headers.append((b"x-frame-options", b"DENY"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadMiddleware:
    """HEAD wherever GET works: the request runs as a GET and its answer goes back without
    the body (status and headers, Content-Length included, are those of the GET).

    FastAPI's routes list GET only, so HEAD would otherwise get 405. The server (uvicorn)
    sees the original HEAD request and so never sends a body either.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class HostCheckMiddleware:
    """Starlette's TrustedHostMiddleware, its refusal (400) answered like every other error:
    JSON on API paths, a page elsewhere, instead of Starlette's plain text."""

    _ALLOWED = "samestory.trusted_host"

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.check = TrustedHostMiddleware(
            self._allow, allowed_hosts=allowed_hosts, www_redirect=False
        )

    async def _allow(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[self._ALLOWED] = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def discard(message: Message) -> None:
            pass

        await self.check(scope, receive, discard)
        if scope.pop(self._ALLOWED, False):
            await self.app(scope, receive, send)
            return
        response = error_response(
            Request(scope),
            400,
            "bad_request",
            "this server does not answer for the host named in the request's Host header; "
            f"use one of {', '.join(self.allowed_hosts)}",
        )
        await response(scope, receive, send)
