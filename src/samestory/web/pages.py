"""The HTML pages: stories, one story, one article, compare (form and result).

Each page makes the same service calls as the API and renders them with Jinja2; the compare
result reuses the report of :mod:`samestory.render.html` so the look stays the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from ..article import Article
from ..errors import InputError
from . import service
from .app import options_of, request_store
from .views import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, context: dict[str, Any]) -> HTMLResponse:
    return HTMLResponse(render(request, template, context))


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/stories", status_code=302)


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(name, f"{value!r} is not a date; use YYYY-MM-DD") from None


def _page_number(value: str | None) -> int:
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()):
        raise InputError("page", f"{value!r} is not a page number")
    return int(value)


@router.get("/stories")
def stories_page(request: Request) -> HTMLResponse:
    args = request.query_params
    filters = service.StoryFilters(
        query=args.get("q") or None,
        lang=args.get("lang") or None,
        source=args.get("source") or None,
        since=_date(args.get("since"), "since"),
        until=_date(args.get("until"), "until"),
        page=_page_number(args.get("page")),
    )
    with request_store(request) as store:
        found = service.list_stories(store, filters)
        counts = service.facets(store)
    params = {k: args.get(k, "") for k in ("q", "lang", "source", "since", "until")}
    return _page(
        request,
        "stories.html.j2",
        {"found": found, "facets": counts, "params": params, "filtered": any(params.values())},
    )


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> HTMLResponse:
    with request_store(request) as store:
        detail = service.story(store, story_id, max_compared=options_of(request).max_compared)
    members = {m.id: m for m in detail.members}
    by_reporter: dict[str, list[Any]] = {}
    shown, left_out = detail.shown_facts()
    for fact in shown:
        by_reporter.setdefault(fact.first_reported_by, []).append(fact)
    timeline = [
        {"member": m, "facts": by_reporter[m.id]} for m in detail.members if m.id in by_reporter
    ]
    contradictions = sum(len(f.contradicted_by) for f in detail.timeline)
    # B starts on the first member that is not a near-copy of the first: a useful comparison
    first = detail.members[0] if detail.members else None
    default_b = next(
        (
            m.id
            for m in detail.members[1:]
            if first
            and (
                m.near_duplicate_group is None
                or m.near_duplicate_group != first.near_duplicate_group
            )
        ),
        detail.members[1].id if len(detail.members) > 1 else (first.id if first else None),
    )
    return _page(
        request,
        "story.html.j2",
        {
            "story": detail,
            "members": members,
            "timeline": timeline,
            "contradictions": contradictions,
            "left_out": left_out,
            "default_b": default_b,
        },
    )


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str) -> HTMLResponse:
    with request_store(request) as store:
        article = service.article(store, article_id)
    return _page(request, "article.html.j2", {"article": article})


@router.get("/compare")
async def compare_page(request: Request) -> HTMLResponse:
    """The form; with ``?a=ID&b=ID`` the comparison of two stored articles."""
    a_id, b_id = request.query_params.get("a"), request.query_params.get("b")
    if a_id and b_id:

        def stored() -> Any:
            with request_store(request) as store:
                return service.compare_stored(store, a_id, b_id)

        comparison = await run_in_threadpool(stored)
        return _result(request, comparison, {"a": a_id, "b": b_id})
    return _page(request, "compare.html.j2", {})


@router.post("/compare")
async def compare_submit(request: Request) -> HTMLResponse:
    form = await request.form(max_part_size=options_of(request).max_body_bytes)
    sides: list[tuple[str, bytes | str]] = []
    for side in ("a", "b"):
        upload, text = form.get(f"{side}_file"), form.get(f"{side}_text")
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            if data.strip():
                sides.append((upload.filename, data))
                continue
        if isinstance(text, str) and text.strip():
            sides.append((f"report {side.upper()}", text))
            continue
        raise InputError(f"report {side.upper()}", "empty: paste its text or choose a file")

    def compare() -> Any:
        from .api import uploaded_article

        articles: list[Article] = [
            uploaded_article(name, value) if isinstance(value, bytes) else _pasted(name, value)
            for name, value in sides
        ]
        return service.compare_articles(articles[0], articles[1])

    comparison = await run_in_threadpool(compare)
    return _result(request, comparison, None)


def _pasted(name: str, text: str) -> Article:
    from ..read import article_from_text

    return article_from_text(text, source=name)


def _result(request: Request, comparison: Any, stored: dict[str, str] | None) -> HTMLResponse:
    from ..render.html import comparison_context, stylesheet

    context = comparison_context(comparison)
    context.update({"css": stylesheet(), "stored": stored})
    return _page(request, "compare_result.html.j2", context)
