"""The web application of ``samestory serve``: a JSON API and server-rendered pages.

Needs the ``server`` extra (``pip install 'samestory[server]'``). ``create_app`` builds the
FastAPI application over a store; routes are thin layers over the service functions, and
errors become responses in one place (``errors``).
"""

from __future__ import annotations

try:
    import fastapi  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the environment
    from ..errors import MissingDependencyError

    raise MissingDependencyError("fastapi", "server") from error

from .app import ServerOptions, create_app

__all__ = ["ServerOptions", "create_app"]
