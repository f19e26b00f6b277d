"""The sample web server deployed through the HTTP API onto real local instances.

Issue "local cloud and agent": deploy with 2 instances, fetch each page, the
scaleOut action adds a third that serves too, deleting the environment leaves
nothing on the host; a failing script ends in ``deploy failure`` with its output.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from fornace.testing.engine import zip_folder
from fornace.testing.localcloud import snapshot

pytestmark = [pytest.mark.slow, pytest.mark.root]

PROBE = Path(__file__).parents[2] / "corelib" / "packages" / "com.example.Probe"
INSTANCE = "io.murano.resources.LinuxMuranoInstance"


def web_server(count: int) -> dict[str, Any]:
    def oid() -> dict[str, str]:
        return {"id": uuid.uuid4().hex}

    return {"?": {"type": "com.fornace.samples.WebServer", **oid()}, "title": "E2E", "port": 8081,
            "servers": {"?": {"type": "io.murano.applications.ServerReplicationGroup", **oid()},
                        "numItems": count,
                        "provider": {"?": {"type": "io.murano.applications.TemplateServerProvider",
                                           **oid()},
                                     "serverNamePattern": "web{0}",
                                     "template": {"?": {"type": INSTANCE, **oid()},
                                                  "name": "template", "flavor": "m1.tiny",
                                                  "image": "host"}}}}


def wait_status(client: httpx.Client, env_id: str, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/v1/environments/{env_id}").json()["status"]
        if status not in ("deploying", "deleting", "pending"):
            return str(status)
        time.sleep(0.5)
    raise AssertionError(f"environment {env_id} still {status} after {timeout} s")


def deploy(client: httpx.Client, apps: list[dict[str, Any]]) -> str:
    name = "e2e-" + uuid.uuid4().hex[:6]
    env_id = client.post("/v1/environments", json={"name": name}).json()["id"]
    session = client.post(f"/v1/environments/{env_id}/configure").json()["id"]
    for app in apps:
        resp = client.post(f"/v1/environments/{env_id}/services", json=app,
                           headers={"X-Configuration-Session": session})
        assert resp.status_code == 200, resp.text
    assert client.post(f"/v1/environments/{env_id}/sessions/{session}/deploy").status_code == 200
    return env_id


def delete_and_wait(client: httpx.Client, env_id: str, timeout: float = 120) -> None:
    assert client.delete(f"/v1/environments/{env_id}").status_code == 200
    deadline = time.monotonic() + timeout
    while client.get(f"/v1/environments/{env_id}").status_code != 404:
        assert time.monotonic() < deadline, f"environment {env_id} was not deleted"
        time.sleep(0.5)


def reports(client: httpx.Client, env_id: str) -> list[dict[str, Any]]:
    newest = client.get(f"/v1/environments/{env_id}/deployments").json()["deployments"][0]
    path = f"/v1/environments/{env_id}/deployments/{newest['id']}"
    return list(client.get(path).json()["reports"])


def pages(client: httpx.Client, env_id: str) -> dict[str, str]:
    app = client.get(f"/v1/environments/{env_id}/model/").json()["services"][0]
    return {url: httpx.get(url, timeout=10).text.strip() for url in app["urls"]}


def test_web_server_deploys_scales_out_and_leaves_nothing(served, user: httpx.Client) -> None:
    _, data_dir = served
    before = snapshot(data_dir)
    env_id = deploy(user, [web_server(2)])
    assert wait_status(user, env_id) == "ready", reports(user, env_id)
    served_pages = pages(user, env_id)
    assert sorted(served_pages.values()) == ["E2E from web1", "E2E from web2"]
    assert any("is serving at" in r["text"] for r in reports(user, env_id))
    assert snapshot(data_dir).netns != before.netns  # the instances are really there

    model = user.get(f"/v1/environments/{env_id}/model/").json()
    actions = model["services"][0]["?"]["_actions"]
    scale_out = next(k for k, v in actions.items() if v["name"] == "scaleOut")
    task_id = user.post(f"/v1/environments/{env_id}/actions/{scale_out}", json={}).json()["task_id"]
    assert wait_status(user, env_id) == "ready"
    result = user.get(f"/v1/environments/{env_id}/actions/{task_id}").json()
    assert result["isException"] is False
    after_out = pages(user, env_id)
    assert len(after_out) == 3 and set(served_pages) < set(after_out)
    assert "E2E from web3" in after_out.values()

    delete_and_wait(user, env_id)
    after = snapshot(data_dir)
    assert after.netns == before.netns
    assert after.links == before.links
    assert after.mounts == before.mounts
    assert after.processes == before.processes
    # The driver keeps its empty top-level folders; nothing of the environment stays in them.
    assert {f for f in after.folders if "/" in f} == {f for f in before.folders if "/" in f}
    assert not (data_dir / "agents" / env_id).exists()


def test_failing_script_ends_in_deploy_failure_with_its_output(served, user: httpx.Client) -> None:
    upload = user.post("/v1/catalog/packages",
                       files={"com.example.Probe": ("probe.zip", zip_folder(PROBE))})
    assert upload.status_code == 200, upload.text
    probe = {"?": {"type": "com.example.WebProbe", "id": uuid.uuid4().hex},
             "page": "never served", "failOnPurpose": True,
             "instance": {"?": {"type": INSTANCE, "id": uuid.uuid4().hex},
                          "name": "probe-" + uuid.uuid4().hex[:6], "flavor": "m1.tiny",
                          "image": "host"}}
    env_id = deploy(user, [probe])
    assert wait_status(user, env_id) == "deploy failure"
    errors = [r for r in reports(user, env_id) if r["level"] == "error"]
    assert errors and any("asked to fail" in (r["text"] + (r["details"] or "")) for r in errors)
    assert "Traceback" not in "".join(r["text"] + (r["details"] or "") for r in errors)
    delete_and_wait(user, env_id)
