"""The engine on the real core library (fornace.corelib): io.murano.Environment deploys
an io.murano.Application that reports through io.murano.system.StatusReporter."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from fornace.testing.bus import bus_url_for
from fornace.testing.engine import bus_kind, zip_folder

PACKAGES = Path(__file__).parent / "packages"

pytest.importorskip("fornace.corelib")


@pytest.fixture
def engine_settings(settings_factory, tmp_path: Path):  # type: ignore[no-untyped-def]
    return settings_factory(bus_url=bus_url_for(bus_kind(), tmp_path),
                            bus_prefix=f"t{uuid.uuid4().hex[:12]}", engine_lease_seconds=3.0)


def test_core_library_application_deploys_and_reports(bus_api, engines, deployer):
    resp = bus_api.post("/v1/catalog/packages", data={"__metadata__": '{"is_public": true}'},
                        files={"coreapp": ("coreapp.zip", zip_folder(PACKAGES / "coreapp"),
                                           "application/zip")})
    assert resp.status_code == 200, resp.text
    env_id = deployer.create()
    sid = deployer.session(env_id)
    app_id = uuid.uuid4().hex
    resp = bus_api.post(f"/v1/environments/{env_id}/services",
                        headers={"X-Configuration-Session": sid},
                        json={"?": {"id": app_id, "type": "fornace.tests.CoreApp"},
                              "name": "solo"})
    assert resp.status_code == 200, resp.text
    deployer.deploy(env_id, sid)
    status = deployer.wait(env_id)
    reports = deployer.last_reports(env_id)
    assert status == "ready", [(r["text"], r["details"]) for r in reports]
    [mine] = [r for r in reports if r["text"] == "core app solo deployed"]
    assert mine["entity_id"] == app_id
    env = bus_api.get(f"/v1/environments/{env_id}").json()
    assert env["services"][0]["name"] == "solo"
