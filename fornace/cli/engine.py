"""``fornace engine``: run deployment engine worker(s) on the bus."""

from __future__ import annotations

import logging
import signal
import threading

import click


def build_worker(settings):  # type: ignore[no-untyped-def]
    """An EngineWorker for ``settings`` (DB, bus, core library, plugins, lease)."""
    from fornace.db import make_engine, make_sessionmaker
    from fornace.engine.execution import EngineContext, default_core_folders, load_plugins
    from fornace.engine.worker import EngineWorker

    sessions = make_sessionmaker(make_engine(settings.effective_database_url))
    core = default_core_folders() if settings.engine_core_library else []
    context = EngineContext(sessions=sessions, core_folders=core,
                            plugins=load_plugins(settings.engine_plugins),
                            config={"data_dir": str(settings.data_dir)},
                            resources=cloud_resources(settings))
    return EngineWorker(context, bus_url=settings.bus_url, data_dir=settings.data_dir,
                        prefix=settings.bus_prefix, lease_seconds=settings.engine_lease_seconds,
                        report_delay=settings.engine_report_delay)


def cloud_resources(settings):  # type: ignore[no-untyped-def]
    """Per task: the local cloud and the environment's agent spool (engine_cloud=local)."""
    if settings.engine_cloud != "local":
        return None
    try:
        from fornace.corelib import SpoolAgentBroker
    except ImportError:
        return None
    from fornace.clouds.local.driver import LocalCloud
    from fornace.engine.execution import TaskResources

    def open_(environment_id: str) -> TaskResources:
        broker = SpoolAgentBroker(settings.data_dir, environment_id)
        cloud = LocalCloud(settings.data_dir, bind_mounts=[broker.bind_mount()])

        def close(environment_deleted: bool) -> None:
            broker.close()
            if environment_deleted:
                broker.remove()

        return TaskResources(cloud=cloud, agents=broker, close=close)

    return open_


def run_engine(settings, stop: threading.Event | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run one worker until SIGTERM/SIGINT (or ``stop``)."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    build_worker(settings).run(stop)


@click.command()
def engine() -> None:
    """Run a deployment engine worker (takes deploy, action and delete tasks from the bus)."""
    from fornace.config import load_settings

    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_engine(load_settings())
