"""Server-side rendering: one Jinja2 environment for the pages and the comparison report.

Autoescaping is on for every template and no template marks article text ``safe``: a title
such as ``<img src=x onerror=alert(1)>`` is shown as text. The only ``safe`` values are our own
CSS. The pages' Content-Security-Policy (see ``app``) also refuses inline scripts, so even a
value left unescaped by mistake could not run.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from fastapi import Request
    from jinja2 import Environment


@cache
def environment() -> Environment:
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("samestory.web", "templates"),
                PackageLoader("samestory.render", "templates"),  # _comparison.html.j2
            ]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["query"] = _query
    return env


def _query(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from the current filters with some changed; empty values left out."""
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def render(request: Request, template: str, context: dict[str, Any]) -> str:
    from .. import __version__

    return (
        environment()
        .get_template(template)
        .render({"request_path": request.url.path, "version": __version__, **context})
    )
