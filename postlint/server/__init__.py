"""``postlint serve``: the HTTP API for scheduling tools and the web page for comms staff.

The command is registered lazily by the CLI (``postlint serve`` -> ``postlint.server:command``),
so FastAPI and uvicorn are imported only when a server starts. See docs/server.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

__all__ = ["command", "run"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--token-env",
    metavar="VAR",
    help="Require 'Authorization: Bearer <token>', the token read from environment variable VAR.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes, each with its own warm engines (use one per CPU under load).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: the nearest one above the working folder).",
)
@click.option("--max-body-mb", default=32, show_default=True, type=click.IntRange(1, 2048))
@click.option("--max-posts", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="A Host name clients use to reach the server (behind a proxy, say); repeatable.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
@click.option("--no-access-log", is_flag=True, help="Do not log request lines.")
def command(
    host: str,
    port: int,
    token_env: str | None,
    workers: int,
    config_path: Path | None,
    max_body_mb: int,
    max_posts: int,
    allowed_hosts: tuple[str, ...],
    log_level: str,
    no_access_log: bool,
) -> None:
    """Serve the HTTP API (POST /v1/lint) and the drafting page at /."""
    from postlint.server.app import Limits, ServerConfigError, Settings, _is_loopback, load_token

    if config_path is not None and not config_path.is_file():
        raise click.UsageError(f"config file {config_path} does not exist")
    settings = Settings(
        host=host,
        port=port,
        token_env=token_env,
        config=str(config_path.resolve()) if config_path else None,
        limits=Limits(max_body_bytes=max_body_mb * 1024 * 1024, max_posts=max_posts),
        allowed_hosts=allowed_hosts,
    )
    try:
        load_token(settings)
    except ServerConfigError as exc:
        click.echo(f"postlint: error: {exc}", err=True)
        sys.exit(2)
    if not _is_loopback(host) and not token_env:
        click.echo(
            f"postlint: warning: listening on {host} with no token: anyone who can reach this "
            "address can use the server. Use --token-env.",
            err=True,
        )
    run(settings, workers=workers, log_level=log_level, access_log=not no_access_log)


def run(settings, *, workers: int = 1, log_level: str = "info", access_log: bool = True) -> None:
    """Start uvicorn. With several workers, each process builds the app from the settings
    passed in its environment (the token stays in the variable it was named by)."""
    import uvicorn

    from postlint.server.app import SETTINGS_ENV, create_app

    common = dict(
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=5,
    )
    if workers > 1:
        os.environ[SETTINGS_ENV] = settings.to_env()
        uvicorn.run(
            "postlint.server.app:app_from_environment", factory=True, workers=workers, **common
        )
    else:
        uvicorn.run(create_app(settings), **common)
