"""--wait, status and logs: rendering and exit codes.

There is no engine in these tests: a thread plays its part by storing reports
and the result on the test's database (fornace.api.results) while the command
polls. End-to-end waiting on a real engine is verified when the engine lands.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from conftest import Fornace, engine_result

from fornace.api.results import process_result, store_report
from fornace.cli import _watch

APP_ID = "a" * 32
VM_ID = "b" * 32


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_watch, "POLL_SECONDS", 0.05)


def _objects(env_id: str, *, with_vm: bool = True) -> dict[str, Any]:
    app: dict[str, Any] = {"?": {"type": "com.example.Web", "id": APP_ID, "status": "ready"},
                           "name": "web"}
    if with_vm:
        app["instance"] = {"?": {"type": "io.murano.resources.LinuxMuranoInstance",
                                 "id": VM_ID},
                           "name": "web-vm", "ipAddresses": ["10.0.0.5"],
                           "floatingIpAddress": "172.24.4.10"}
    return {"?": {"type": "io.murano.Environment", "id": env_id}, "name": "w",
            "defaultNetworks": {"environment": None, "flat": None}, "services": [app]}


@pytest.fixture
def staged(fornace: Fornace, api: httpx.Client) -> Iterator[dict[str, str]]:
    """An environment with one application in an open session (not deployed)."""
    env = api.post("/v1/environments", json={
        "name": "w", "defaultNetworks": {"environment": None, "flat": None}}).json()
    sid = api.post(f"/v1/environments/{env['id']}/configure").json()["id"]
    app = _objects(env["id"], with_vm=False)["services"][0]
    api.post(f"/v1/environments/{env['id']}/services", json=app,
             headers={"X-Configuration-Session": sid}).raise_for_status()
    yield {"env": env["id"], "session": sid}


def play_engine(api: httpx.Client, engine_side: Callable[..., Any], env_id: str,
                reports: list[tuple[str, str, str]], *, failed: bool = False,
                deleted: bool = False) -> threading.Thread:
    """A thread that waits for a running deployment, reports, then sends the result."""

    def run() -> None:
        with httpx.Client(base_url=api.base_url, headers=dict(api.headers)) as http:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                found = http.get(f"/v1/environments/{env_id}/deployments").json()
                if any(d["state"].startswith("running") and not d["finished"]
                       for d in found.get("deployments", [])):
                    break
                time.sleep(0.05)
        for entity, level, text in reports:
            engine_side(lambda db, e=entity, lv=level, t=text: store_report(db, {
                "id": e, "text": t, "level": lv, "details": None,
                "environment_id": env_id, "timestamp": None}))
            time.sleep(0.1)            # let the poller see reports arrive one by one
        result = (engine_result(None) if deleted else
                  engine_result(_objects(env_id), failed=failed))
        if deleted:
            result["model"]["ObjectsCopy"] = None
        engine_side(lambda db: process_result(db, env_id, result))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_deploy_wait_streams_reports_and_succeeds(fornace: Fornace, api: httpx.Client,
                                                  engine_side: Any,
                                                  staged: dict[str, str]) -> None:
    thread = play_engine(api, engine_side, staged["env"],
                         [(APP_ID, "info", "Deploying web"), (VM_ID, "info", "VM is up")])
    result = fornace("environment-deploy", staged["env"], "--session-id", staged["session"],
                     "--wait")
    thread.join(5)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split("  ", 1)[1].strip() for line in lines] == [
        "Action deploy is scheduled", "Deploying web", "VM is up", "Deployment finished"]
    assert "deployment finished: success" in result.stderr


def test_deploy_wait_failure_exits_3_with_the_error(fornace: Fornace, api: httpx.Client,
                                                    engine_side: Any,
                                                    staged: dict[str, str]) -> None:
    thread = play_engine(api, engine_side, staged["env"],
                         [(APP_ID, "info", "Deploying web"),
                          (VM_ID, "error", "Quota exceeded for instances")])
    result = fornace("environment-deploy", staged["env"], "--session-id", staged["session"],
                     "--wait")
    thread.join(5)
    assert result.exit_code == 3
    assert "ERROR Quota exceeded for instances" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: deployment failed (completed_w_errors): Quota exceeded for instances")


def test_delete_wait_ends_when_the_environment_is_gone(fornace: Fornace, api: httpx.Client,
                                                       engine_side: Any,
                                                       staged: dict[str, str]) -> None:
    env_id = staged["env"]
    api.post(f"/v1/environments/{env_id}/sessions/{staged['session']}/deploy")
    engine_side(lambda db: process_result(db, env_id, engine_result(_objects(env_id))))
    thread = play_engine(api, engine_side, env_id, [(env_id, "info", "Deleting")],
                         deleted=True)
    result = fornace("environment-delete", env_id, "--wait")
    thread.join(5)
    assert result.exit_code == 0, result.output
    assert "Deleting" in result.stdout
    assert api.get(f"/v1/environments/{env_id}").status_code == 404


def test_wait_timeout_is_one_line(fornace: Fornace, staged: dict[str, str]) -> None:
    result = fornace("environment-deploy", staged["env"], "--session-id", staged["session"],
                     "--wait", "--timeout", "0.2")
    assert result.exit_code == 8
    assert "is still running after 0s" in result.stderr
    assert "fornace logs ENV --follow" in result.stderr


@pytest.fixture
def deployed(api: httpx.Client, engine_side: Any, staged: dict[str, str]) -> str:
    env_id = staged["env"]
    api.post(f"/v1/environments/{env_id}/sessions/{staged['session']}/deploy")
    for entity, level, text in ((APP_ID, "info", "Deploying web"),
                                (VM_ID, "warning", "Slow boot"),
                                (VM_ID, "info", "VM is up")):
        engine_side(lambda db, e=entity, lv=level, t=text: store_report(db, {
            "id": e, "text": t, "level": lv, "details": None, "environment_id": env_id,
            "timestamp": None}))
    engine_side(lambda db: process_result(db, env_id, engine_result(_objects(env_id))))
    return env_id


def test_status_tree_shows_states_ips_and_last_reports(fornace: Fornace,
                                                       deployed: str) -> None:
    summary = fornace.json("status", "w")
    assert summary["status"] == "ready"
    assert summary["deployment"]["state"] == "completed_w_warnings"
    [app] = summary["objects"]["children"]
    assert app["name"] == "web" and app["status"] == "ready"
    assert app["lastStatus"]["text"] == "VM is up"      # newest report of the application
    [vm] = app["children"]
    assert vm["ips"] == ["10.0.0.5", "172.24.4.10"]
    assert vm["lastStatus"]["text"] == "VM is up"
    tree = fornace.ok("status", deployed).stdout
    assert "web-vm" in tree and "10.0.0.5, 172.24.4.10" in tree and "ready" in tree
    assert tree.index("web com.example.Web") < tree.index("web-vm")


def test_logs_prints_reports_and_follow_ends(fornace: Fornace, deployed: str) -> None:
    lines = fornace.ok("logs", "w").stdout.splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == [
        "      Action deploy is scheduled", "      Deploying web", "WARN  Slow boot",
        "      VM is up",
        "      Deployment finished with warnings"]
    deployment = fornace.json("deployment-list", deployed)[0]["id"]
    followed = fornace("logs", deployed, "--deployment", deployment, "--follow")
    assert followed.exit_code == 0 and followed.stdout.splitlines() == lines
    assert "finished: completed_w_warnings" in followed.stderr
    reports = fornace.json("logs", deployed)
    assert [r["level"] for r in reports] == ["info", "info", "warning", "info", "info"]


def test_action_call_wait_prints_task_then_result(fornace: Fornace, api: httpx.Client,
                                                  engine_side: Any, deployed: str) -> None:
    def with_action(objects: dict[str, Any]) -> dict[str, Any]:
        objects["services"][0]["?"]["_actions"] = {
            f"{APP_ID}_restart": {"name": "restart", "title": "Restart", "enabled": True}}
        return objects

    engine_side(lambda db: process_result(db, deployed, engine_result(
        with_action(_objects(deployed)))))

    def finish() -> None:
        time.sleep(0.3)
        result = engine_result(with_action(_objects(deployed)), result={"restarted": True})
        engine_side(lambda db: process_result(db, deployed, result))

    thread = threading.Thread(target=finish, daemon=True)
    thread.start()
    result = fornace("environment-action-call", deployed, "--action-id",
                     f"{APP_ID}_restart", "--arguments", "delay=5", "--wait")
    thread.join(5)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created task, id: ")
    task_id = result.stdout.split(": ")[1].split()[0]
    expected = 'Task id result: {"isException": false, "result": {"restarted": true}}'
    assert expected in result.stderr
    got = fornace.ok("environment-action-get-result", deployed, "--task-id", task_id)
    assert got.stdout.strip() == expected
