"""Engine tests: API + result consumer on a live server, engines on the same bus.

The bus is the spool by default and RabbitMQ when FORNACE_TEST_BUS=rabbitmq
(or FORNACE_TEST_DB=postgresql); every test gets its own queue prefix.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fornace.testing.bus import bus_url_for
from fornace.testing.engine import bus_kind, zip_folder

PACKAGES = Path(__file__).parent / "packages"
PLUGIN = "fornace.testing.engine:register"




@pytest.fixture
def engine_settings(settings_factory, tmp_path: Path):  # type: ignore[no-untyped-def]
    return settings_factory(bus_url=bus_url_for(bus_kind(), tmp_path),
                            bus_prefix=f"t{uuid.uuid4().hex[:12]}",
                            engine_plugins=[PLUGIN], engine_lease_seconds=3.0,
                            engine_core_library=False)


@pytest.fixture
def bus_api(engine_settings) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    """The API with a bus publisher and the result consumer, on a live server."""
    from fornace.api.app import create_app
    from fornace.testing.servers import running_server

    app = create_app(engine_settings, connect_bus=True)
    with running_server(app) as base_url:
        with httpx.Client(base_url=base_url, headers={"X-Auth-Token": "admin"},
                          timeout=30) as client:
            yield client


def make_worker(settings):  # type: ignore[no-untyped-def]
    from fornace.cli.engine import build_worker

    return build_worker(settings)


@pytest.fixture
def engine_reports() -> list[dict[str, Any]]:
    """Every report the in-process engines emitted (also those of deleted environments)."""
    return []


@pytest.fixture
def engines(engine_settings, engine_reports) -> Iterator[list[Any]]:  # type: ignore[no-untyped-def]
    """Two engine workers in threads of this process."""

    def capture(_registry: Any, services: Any) -> None:
        publish = services.report

        def report(payload: dict[str, Any]) -> None:
            engine_reports.append(payload)
            publish(payload)

        services.report = report

    stop = threading.Event()
    workers = [make_worker(engine_settings) for _ in range(2)]
    for worker in workers:
        worker.context.plugins.append(capture)
    threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    yield workers
    stop.set()
    for thread in threads:
        thread.join(timeout=10)


@pytest.fixture
def packages(bus_api: httpx.Client) -> dict[str, str]:
    ids = {}
    for name in ("core", "app"):
        resp = bus_api.post("/v1/catalog/packages",
                            data={"__metadata__": '{"is_public": true}'},
                            files={name: (f"{name}.zip", zip_folder(PACKAGES / name),
                                          "application/zip")})
        assert resp.status_code == 200, resp.text
        ids[name] = resp.json()["id"]
    return ids


class Deployer:
    """Environment verbs over HTTP, as a client would call them."""

    def __init__(self, api: httpx.Client):
        self.api = api

    def create(self, name: str | None = None) -> str:
        resp = self.api.post("/v1/environments", json={
            "name": name or f"env-{uuid.uuid4().hex[:8]}",
            "defaultNetworks": {"environment": None, "flat": None}})
        assert resp.status_code == 200, resp.text
        return str(resp.json()["id"])

    def session(self, env_id: str) -> str:
        resp = self.api.post(f"/v1/environments/{env_id}/configure")
        assert resp.status_code == 200, resp.text
        return str(resp.json()["id"])

    def add_app(self, env_id: str, session_id: str, name: str, **props: Any) -> str:
        app_id = uuid.uuid4().hex
        body = {"?": {"id": app_id, "type": "fornace.tests.Reporting"}, "name": name, **props}
        resp = self.api.post(f"/v1/environments/{env_id}/services", json=body,
                             headers={"X-Configuration-Session": session_id})
        assert resp.status_code == 200, resp.text
        return app_id

    def deploy(self, env_id: str, session_id: str) -> None:
        resp = self.api.post(f"/v1/environments/{env_id}/sessions/{session_id}/deploy")
        assert resp.status_code == 200, resp.text

    def status(self, env_id: str) -> str | None:
        resp = self.api.get(f"/v1/environments/{env_id}")
        if resp.status_code == 404:
            return None
        assert resp.status_code == 200, resp.text
        return str(resp.json()["status"])

    def wait(self, env_id: str, timeout: float = 60) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status(env_id)
            if status not in ("deploying", "deleting"):
                return status
            time.sleep(0.1)
        raise AssertionError(f"environment {env_id} still {self.status(env_id)}")

    def wait_deleted(self, env_id: str, timeout: float = 60) -> str | None:
        """None once the environment is gone; its status if the deletion failed.

        (A GET racing the deletion's commit can read the row, then no sessions, and
        answer ``ready``: only 404 or ``delete failure`` end the wait.)"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status(env_id)
            if status in (None, "delete failure"):
                return status
            time.sleep(0.1)
        raise AssertionError(f"environment {env_id} still {self.status(env_id)}")

    def deployments(self, env_id: str) -> list[dict[str, Any]]:
        resp = self.api.get(f"/v1/environments/{env_id}/deployments")
        assert resp.status_code == 200, resp.text
        return list(resp.json()["deployments"])

    def reports(self, env_id: str, deployment_id: str) -> list[dict[str, Any]]:
        resp = self.api.get(f"/v1/environments/{env_id}/deployments/{deployment_id}")
        assert resp.status_code == 200, resp.text
        return list(resp.json()["reports"])

    def last_reports(self, env_id: str) -> list[dict[str, Any]]:
        deployments = self.deployments(env_id)
        latest = max(deployments, key=lambda d: d["started"])
        return self.reports(env_id, latest["id"])

    def texts(self, env_id: str) -> list[str]:
        return [r["text"] for r in self.last_reports(env_id)]


@pytest.fixture
def deployer(bus_api: httpx.Client) -> Deployer:
    return Deployer(bus_api)


