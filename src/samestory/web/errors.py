"""The one place where errors become HTTP responses.

Routes raise samestory's errors (or the few web ones below) and never build error responses
themselves. API paths get JSON ``{"status", "error", "message"}``; pages get the same message
in an HTML page. No response ever carries a traceback: an unexpected exception is logged on the
server and answered with a plain 500.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, MissingDependencyError, ModelError, SamestoryError
from ..store import StoreError
from .service import NotFoundError

log = logging.getLogger("samestory.web")

JSON_PREFIXES = ("/api/", "/healthz", "/openapi.json")


class WebError(SamestoryError):
    """An error of the HTTP layer itself; ``status`` is the response code."""

    status: ClassVar[int] = 400
    kind: ClassVar[str] = "bad_request"
    headers: ClassVar[dict[str, str] | None] = None


class UnauthorizedError(WebError, PermissionError):
    status = 401
    kind = "unauthorized"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class UnsupportedMediaError(WebError, ValueError):
    status = 415
    kind = "unsupported_media_type"


# (error class, status, kind): the first match wins, so subclasses come first.
ERROR_STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (InputError, 422, "invalid_input"),
    (MissingDependencyError, 503, "unavailable"),
    (ModelError, 503, "unavailable"),
    (StoreError, 503, "unavailable"),
    (SamestoryError, 400, "bad_request"),
)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PREFIXES)


def error_response(
    request: Request,
    status: int,
    kind: str,
    message: str,
    *,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as JSON (API) or as a page (browser); both say the same thing."""
    if wants_json(request):
        body: dict[str, Any] = {"status": status, "error": kind, "message": message}
        if details:
            body["details"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    from .views import render

    html = render(request, "error.html.j2", {"status": status, "kind": kind, "message": message})
    return HTMLResponse(html, status_code=status, headers=headers)


def _samestory_error(request: Request, error: Exception) -> Response:
    if isinstance(error, WebError):
        return error_response(request, error.status, error.kind, str(error), headers=error.headers)
    for cls, status, kind in ERROR_STATUS:
        if isinstance(error, cls):
            if status >= 500:
                log.error("request %s failed: %s", request.url.path, error)
            return error_response(request, status, kind, str(error))
    raise AssertionError("unreachable: SamestoryError is the last entry")  # pragma: no cover


def _where(loc: Sequence[Any]) -> str:
    """A field's path for people: ``a.text``, ``query.page``; pydantic's names of the union
    branches it tried (``str``, ``ArticlesIn``, ``list[...]``) and the ``body`` prefix left out."""
    parts = [str(part) for part in loc if not _is_type_tag(part)]
    if parts[:1] == ["body"]:
        parts = parts[1:]
    return ".".join(parts) or "request body"


_TYPES = {"str", "int", "float", "bool", "dict", "list", "none"}


def _is_type_tag(part: Any) -> bool:
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in _TYPES)


def _branch(loc: Sequence[Any]) -> str | None:
    """The union branch an error belongs to (pydantic's tag in its location), if any."""
    return next((str(part) for part in loc if _is_type_tag(part)), None)


# Endpoints that need the token: FastAPI parses a JSON body before it runs dependencies, so
# without this a client with no token would learn about its body before being refused.
_WRITE_PATHS = ("/api/articles",)


def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError | ValidationError)
    if request.method == "POST" and request.url.path in _WRITE_PATHS:
        from .app import require_token

        try:
            require_token(request)
        except WebError as refused:
            return _samestory_error(request, refused)
    errors = list(error.errors())
    details = [
        {"where": ".".join(str(part) for part in e.get("loc", ())), "problem": e.get("msg", "")}
        for e in errors
    ]
    if not errors:
        return error_response(request, 422, "invalid_input", "request body: invalid")
    # For a field of several shapes pydantic reports every shape it tried; the client meant
    # the one that failed least, and of its errors the deepest says most.
    branches: dict[str | None, int] = {}
    for e in errors:
        branches[_branch(e.get("loc", ()))] = branches.get(_branch(e.get("loc", ())), 0) + 1
    chosen = max(
        errors,
        key=lambda e: (-branches[_branch(e.get("loc", ()))], len(e.get("loc", ()))),
    )
    if chosen.get("type") == "json_invalid":
        reason = (chosen.get("ctx") or {}).get("error", "")
        message = (
            f"the request body is not valid JSON ({reason})"
            if reason
            else ("the request body is not valid JSON")
        )
    else:
        message = f"{_where(chosen.get('loc', ()))}: {chosen.get('msg', 'invalid')}"
    # the other shapes' errors are in ``details``; the count is of the chosen shape's only
    # (an empty {"articles": []} is one problem, not four)
    others = branches[_branch(chosen.get("loc", ()))] - 1
    if others:
        message += f" (and {others} more {'problem' if others == 1 else 'problems'})"
    return error_response(request, 422, "invalid_input", message, details=details)


def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    cause = error.__cause__
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if (
        error.status_code == 400
        and isinstance(cause, ValueError | RecursionError)
        and content_type in ("", "application/json")
    ):
        # FastAPI's "There was an error parsing the body": a JSON body it could not decode
        # (bytes that are no Unicode, nesting too deep), an invalid body like any other
        reason = str(cause).split("\n", 1)[0][:200]
        return error_response(
            request, 422, "invalid_input", f"the request body is not valid JSON ({reason})"
        )
    kinds = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    message = str(error.detail)
    if error.status_code == 404 and message == "Not Found":
        message = f"nothing at {request.url.path}; the API is described at /docs"
    allowed = (getattr(error, "headers", None) or {}).get("Allow")
    if error.status_code == 405 and allowed:
        message = f"{request.method} is not allowed at {request.url.path}; use {allowed}"
    return error_response(
        request,
        error.status_code,
        kinds.get(error.status_code, "http_error"),
        message,
        headers=getattr(error, "headers", None),
    )


def _unexpected(request: Request, error: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return error_response(
        request, 500, "internal_error", "the server failed on this request; its log has the details"
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SamestoryError, _samestory_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _validation_error)  # bodies parsed by hand
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
