"""``fornace api`` and ``fornace serve``."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from typing import Any

import click

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _run_api(host: str | None, port: int | None, settings: Any = None) -> None:
    import uvicorn

    from fornace.api.app import create_app
    from fornace.config import load_settings

    settings = settings or load_settings(host=host, port=port)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    app = create_app(settings, connect_bus=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False)


def _engine_process(settings: Any) -> None:
    from fornace.cli.engine import run_engine

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    run_engine(settings)


class EngineSupervisor:
    """Keeps ``count`` engine processes running (one that dies is started again)."""

    def __init__(self, settings: Any, count: int):
        self._settings, self._count = settings, count
        self._context = multiprocessing.get_context("spawn")
        self._processes: list[Any] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="engine-supervisor",
                                        daemon=True)

    def start(self) -> None:
        self._processes = [self._spawn() for _ in range(self._count)]
        self._thread.start()

    def _spawn(self) -> Any:
        process = self._context.Process(target=_engine_process, args=(self._settings,),
                                        name="fornace-engine", daemon=True)
        process.start()
        return process

    def _watch(self) -> None:
        while not self._stop.wait(2.0):
            for index, process in enumerate(self._processes):
                if not process.is_alive() and not self._stop.is_set():
                    logging.getLogger(__name__).warning(
                        "engine process %s exited with %s; starting another", process.pid,
                        process.exitcode)
                    self._processes[index] = self._spawn()

    def stop(self) -> None:
        self._stop.set()
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()


@click.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8082).")
def api(host: str | None, port: int | None) -> None:
    """Run the API server (tasks go to engines over FORNACE_BUS_URL)."""
    _run_api(host, port)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8082).")
@click.option("--engines", type=int, default=None,
              help="Engine processes to run (default: the engine_workers setting, 2).")
def serve(host: str | None, port: int | None, engines: int | None) -> None:
    """Run API, engines and the broker-less bus in one process tree (embedded defaults)."""
    from fornace.config import load_settings
    from fornace.db import make_engine, upgrade

    settings = load_settings(host=host, port=port, engine_workers=engines)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    if settings.load_sample_catalog:
        from fornace.corelib import sample_package_dirs
        from fornace.db import make_sessionmaker
        from fornace.db.repositories.sample_catalog import import_sample_catalog

        import_sample_catalog(make_sessionmaker(engine), sample_package_dirs())
    engine.dispose()
    supervisor = EngineSupervisor(settings, max(settings.engine_workers, 0))
    supervisor.start()
    try:
        _run_api(None, None, settings)
    finally:
        supervisor.stop()
