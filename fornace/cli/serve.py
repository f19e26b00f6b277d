"""``fornace api`` and ``fornace serve``."""

from __future__ import annotations

import logging

import click


def _run_api(host: str | None, port: int | None) -> None:
    import uvicorn

    from fornace.api.app import create_app
    from fornace.config import load_settings

    settings = load_settings(host=host, port=port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8082).")
def api(host: str | None, port: int | None) -> None:
    """Run the API server."""
    _run_api(host, port)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8082).")
def serve(host: str | None, port: int | None) -> None:
    """Run API, engine and bus in one process with embedded defaults."""
    # The engine and bus join this process in the engine issue; for now: migrate and serve the API.
    from fornace.config import load_settings
    from fornace.db import make_engine, upgrade

    upgrade(make_engine(load_settings().effective_database_url))
    _run_api(host, port)
