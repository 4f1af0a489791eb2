"""The JSON API: each route parses its input, makes one service call and returns its JSON.

Errors are not handled here: they propagate to :mod:`samestory.web.errors`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from ..article import Article
from ..errors import InputError
from . import service
from .app import options_of, request_store, require_json, require_token
from .errors import UnsupportedMediaError
from .schemas import (
    MAX_ARTICLES_PER_REQUEST,
    ArticleIn,
    ArticlesIn,
    ArticlesOut,
    CompareIn,
    ErrorOut,
    HealthOut,
    StoriesOut,
    side_article,
)

router = APIRouter()

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": why}
    for code, why in (
        (404, "No such story or article."),
        (413, "The request body is too large (see --max-body-mb)."),
        (422, "The input cannot be read; the message says which field and why."),
    )
}


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema for ``openapi_extra``, its nested models taken from components."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)  # ArticleIn is in the components already (POST /api/articles)
    return schema


_COMPARE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _schema(CompareIn)},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["a", "b"],
                    "properties": {
                        "a": {"type": "string", "format": "binary", "description": "HTML or text"},
                        "b": {"type": "string", "format": "binary", "description": "HTML or text"},
                    },
                }
            },
        },
    }
}


@router.get("/healthz", response_model=HealthOut, tags=["service"])
def health(request: Request) -> dict[str, Any]:
    """The server is up and its store can be read."""
    from .. import __version__

    with request_store(request) as store:
        return {
            "status": "ok",
            "version": __version__,
            "articles": store.article_count(),
            "stories": store.story_count(),
        }


@router.post(
    "/api/compare",
    tags=["compare"],
    openapi_extra=_COMPARE_BODY,
    responses={200: {"description": "The Comparison JSON of `samestory compare --format json`."},
               **ERRORS},
)  # fmt: skip
async def compare_reports(request: Request) -> JSONResponse:
    """Compare two reports: JSON `{"a": ..., "b": ...}` or a multipart upload of files a and b."""
    first, second = await _compare_inputs(request)
    comparison = await run_in_threadpool(service.compare_articles, first, second)
    return JSONResponse(comparison.to_dict())


async def _compare_inputs(request: Request) -> tuple[Article, Article]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            payload = json.loads(await request.body())
        except (ValueError, RecursionError) as error:  # bad bytes, bad JSON, nested too deep
            reason = str(error).split("\n", 1)[0][:200]
            raise InputError("request body", f"not valid JSON ({reason})") from None
        body = CompareIn.model_validate(payload)
        return await run_in_threadpool(
            lambda: (side_article(body.a, "a"), side_article(body.b, "b"))
        )
    if content_type == "multipart/form-data":
        form = await request.form(max_part_size=options_of(request).max_body_bytes)
        parts = {name: form.get(name) for name in ("a", "b")}
        uploads = {name: await _part_bytes(name, value) for name, value in parts.items()}
        return await run_in_threadpool(
            lambda: (uploaded_article(*uploads["a"]), uploaded_article(*uploads["b"]))
        )
    raise UnsupportedMediaError(
        f'send application/json ({{"a": ..., "b": ...}}) or multipart/form-data with files '
        f"a and b, not {content_type or 'a body without a Content-Type'}"
    )


async def _part_bytes(name: str, value: UploadFile | str | None) -> tuple[str, bytes]:
    if isinstance(value, UploadFile):
        return value.filename or name, await value.read()
    if isinstance(value, str):
        return name, value.encode("utf-8")
    raise InputError(name, f"missing: send the report as the form field or file {name!r}")


def uploaded_article(name: str, data: bytes) -> Article:
    """An article from uploaded bytes: decoded like a file, HTML extracted when it is HTML."""
    from ..read import article_from_text
    from ..read.decode import decode_bytes

    return article_from_text(decode_bytes(data, name), source=name)


@router.post(
    "/api/articles",
    response_model=ArticlesOut,
    dependencies=[Depends(require_token), Depends(require_json)],
    tags=["stories"],
    responses={
        401: {"model": ErrorOut, "description": "A token is required."},
        415: {"model": ErrorOut, "description": "The body is not application/json."},
        **ERRORS,
    },
)
def add_articles(
    request: Request, body: ArticlesIn | ArticleIn | list[ArticleIn]
) -> dict[str, Any]:
    """Store one article, a list, or `{"articles": [...]}`, and assign them to stories.

    Story ids never change: new articles join existing stories or start new ones.
    """
    items = body.articles if isinstance(body, ArticlesIn) else body
    items = items if isinstance(items, list) else [items]
    if not items or len(items) > MAX_ARTICLES_PER_REQUEST:
        raise InputError(
            "articles",
            f"send between 1 and {MAX_ARTICLES_PER_REQUEST} articles per request, not {len(items)}",
        )
    articles = [item.to_article(f"articles[{n}]") for n, item in enumerate(items)]
    with request_store(request) as store:
        return {"articles": service.ingest(store, articles)}


@router.get("/api/stories", response_model=StoriesOut, tags=["stories"], responses=ERRORS)
def list_stories(
    request: Request,
    q: Annotated[str | None, Query(description="Words in a headline or member title.")] = None,
    lang: Annotated[
        str | None, Query(description="Stories with a member in this language.")
    ] = None,
    source: Annotated[
        str | None, Query(description="Outlet name or a part of member URLs.")
    ] = None,
    since: Annotated[
        dt.date | None, Query(description="Still reported on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[dt.date | None, Query(description="First reported on or before.")] = None,
    page: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE)] = service.DEFAULT_PAGE_SIZE,
) -> dict[str, Any]:
    """Live stories, largest first, with filters and paging."""
    filters = service.StoryFilters(
        lang=lang, source=source, since=since, until=until, query=q, page=page, per_page=per_page
    )
    with request_store(request) as store:
        return service.list_stories(store, filters).to_dict()


@router.get("/api/stories/{story_id}", tags=["stories"], responses=ERRORS)
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    """One story: members, near-duplicate groups, timeline of facts and contradictions.

    A merged story's old id (or a unique prefix of an id) resolves to the live story.
    """
    with request_store(request) as store:
        detail = service.story(store, story_id, max_compared=options_of(request).max_compared)
    return detail.to_dict()


@router.get("/api/articles/{article_id}", tags=["stories"], responses=ERRORS)
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """One stored article, with its story id and near-duplicate group."""
    with request_store(request) as store:
        return service.article(store, article_id)
