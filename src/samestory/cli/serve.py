"""``samestory serve``: the web pages and JSON API over a store (needs the ``server`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import check_db, check_range, fail, user_errors

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: Annotated[
            Path, typer.Option("--db", help="The SQLite store to serve (created when missing).")
        ] = Path("samestory.db"),
        host: Annotated[
            str,
            typer.Option(help="Address to bind; the default answers this machine only."),
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
        token: Annotated[
            str | None,
            typer.Option(
                envvar="SAMESTORY_TOKEN",
                help="Require 'Authorization: Bearer TOKEN' on write endpoints (POST /api/articles).",
            ),
        ] = None,
        max_body_mb: Annotated[
            float, typer.Option(help="Largest request body accepted, in MB (larger: 413).")
        ] = 10.0,
    ) -> None:
        """Browse stories and compare reports in a browser; a JSON API with docs at /docs."""
        from ..errors import MissingDependencyError

        try:
            import uvicorn

            from ..web import ServerOptions, create_app
        except MissingDependencyError as error:
            fail(str(error))
        except ImportError as error:
            fail(str(MissingDependencyError(error.name or "fastapi", "server")))
        if not 0 < port < 65536:
            fail(f"--port {port} is not a TCP port; give 1..65535")
        check_range("--max-body-mb", max_body_mb, 0.01, 100_000)
        check_db(db)
        with user_errors():
            options = ServerOptions(db=db, token=token, max_body_bytes=int(max_body_mb * 1_000_000))
            application = create_app(options, allowed_hosts=_allowed_hosts(host))
        if host not in LOOPBACK_HOSTS and token is None:
            typer.echo(
                f"samestory: warning: serving on {host} without --token: anyone who can reach "
                "this address can add articles",
                err=True,
            )
        _check_port_free(host, port)
        typer.echo(f"samestory: serving {db} on http://{_url_host(host)}:{port}/", err=True)
        uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False)


def _check_port_free(host: str, port: int) -> None:
    """Fail with one line when the address cannot be bound (in use, or not this machine's)."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        fail(f"--host {host}: cannot resolve it ({error.strerror or error})")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                fail(f"cannot serve on {host}:{port}: the port is in use; pick another with --port")
            fail(f"cannot serve on {host}:{port}: {error.strerror or error}")


def _allowed_hosts(host: str) -> list[str] | None:
    """Host headers to accept: on loopback only local names, which stops DNS rebinding."""
    if host in LOOPBACK_HOSTS:
        return ["127.0.0.1", "localhost", "[::1]"]
    return None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
