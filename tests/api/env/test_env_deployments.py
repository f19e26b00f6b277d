"""Deployments, reports, lastStatus, actions, static actions and schemas (§3.5, §5, §7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _env_helpers import ALICE, BOB, EnvApi, app_object, auth, engine_result, ok

from fornace.api.results import process_result, store_report


@pytest.fixture
def deployed(env_api: EnvApi, engine_side: Any) -> dict[str, Any]:
    """A deployed env whose app advertises an action, with reports about its objects."""
    env = env_api.create_env("dep", defaultNetworks={"environment": None, "flat": None})
    sid = env_api.configure(env["id"])
    env_api.add_app(env["id"], sid, app_object("app1", token="tkn"))
    ok(env_api.deploy(env["id"], sid))
    for entity, text in (("app1", "app says hi"), ("app1-vm", "vm is up"),
                         (env["id"], "env note")):
        engine_side(lambda db, e=entity, t=text: store_report(db, {
            "id": e, "text": t, "level": "info", "details": None,
            "environment_id": env["id"], "timestamp": None}))
    app = app_object("app1")
    app["?"]["_actions"] = {"app1_restart": {"name": "restart", "title": "Restart",
                                             "enabled": True},
                            "app1_off": {"name": "off", "title": "Off", "enabled": False}}
    objects = {"?": {"id": env["id"], "type": "io.murano.Environment"}, "name": "dep",
               "services": [app]}
    engine_side(lambda db: process_result(db, env["id"], engine_result(objects)))
    return {"env": env["id"], "session": sid}


def test_deployments_list_shape_and_sanitized(env_api: EnvApi, deployed: dict) -> None:
    [task] = env_api.deployments(deployed["env"])
    assert set(task) == {"id", "environment_id", "state", "started", "finished", "created",
                         "updated", "action", "result", "description"}
    assert task["description"]["services"][0]["token"] == "*** SANITIZED ***"
    assert task["state"] == "success"


def test_project_deployments_cover_all_envs_of_project(env_api: EnvApi, api: httpx.Client,
                                                       deployed: dict) -> None:
    other = env_api.create_env("second")
    ok(env_api.deploy(other["id"], env_api.configure(other["id"])))
    listed = ok(api.get("/v1/deployments", headers=auth(ALICE)))["deployments"]
    assert {d["environment_id"] for d in listed} == {deployed["env"], other["id"]}
    assert listed[0]["environment_id"] == other["id"]  # newest first
    assert ok(api.get("/v1/deployments", headers=auth(BOB)))["deployments"] == []


def test_reports_in_order_and_filtered_by_service(api: httpx.Client, env_api: EnvApi,
                                                  deployed: dict) -> None:
    env_id = deployed["env"]
    task_id = env_api.deployments(env_id)[0]["id"]
    url = f"/v1/environments/{env_id}/deployments/{task_id}"
    texts = [r["text"] for r in ok(api.get(url, headers=auth(ALICE)))["reports"]]
    assert texts == ["Action deploy is scheduled", "app says hi", "vm is up", "env note",
                     "Deployment finished"]
    filtered = ok(api.get(url, params={"service_id": "app1"}, headers=auth(ALICE)))["reports"]
    assert [r["text"] for r in filtered] == ["app says hi", "vm is up"]
    assert ok(api.get(url, params={"service_id": "none"}, headers=auth(ALICE))) == {"reports": []}
    assert api.get(f"/v1/environments/{env_id}/deployments/{'1' * 32}",
                   headers=auth(ALICE)).status_code == 404


def test_last_status_per_service(api: httpx.Client, deployed: dict) -> None:
    body = ok(api.get(f"/v1/environments/{deployed['env']}/lastStatus", headers=auth(ALICE)))
    last = body["lastStatuses"]["app1"]
    assert last["text"] == "vm is up" and last["entity_id"] == "app1-vm"
    assert set(last) == {"id", "task_id", "entity_id", "entity", "text", "level", "details",
                         "created", "updated"}


def test_action_runs_as_task(api: httpx.Client, env_api: EnvApi, deployed: dict,
                             published: list, engine_side: Any) -> None:
    env_id = deployed["env"]
    published.clear()
    body = ok(api.post(f"/v1/environments/{env_id}/actions/app1_restart",
                       json={"hard": True}, headers=auth(ALICE)))
    task_id = body["task_id"]
    [message] = published
    assert message["action"] == {"object_id": "app1", "method": "restart",
                                 "args": {"hard": True}}
    assert env_api.show(env_id)["status"] == "deploying"
    result_url = f"/v1/environments/{env_id}/actions/{task_id}"
    assert ok(api.get(result_url, headers=auth(ALICE))) == {}
    objects = api.get(f"/v1/environments/{env_id}/model/", headers=auth(ALICE)).json()
    engine_side(lambda db: process_result(db, env_id, engine_result(objects, result="done")))
    assert ok(api.get(result_url, headers=auth(ALICE))) == {"isException": False,
                                                          "result": "done"}
    reports = ok(api.get(f"/v1/environments/{env_id}/deployments/{task_id}",
                         headers=auth(ALICE)))["reports"]
    assert reports[0]["text"] == "Action restart is scheduled"


@pytest.mark.parametrize(("action", "status"), [("app1_off", 400), ("nope_x", 404)])
def test_action_unknown_or_disabled(api: httpx.Client, deployed: dict, rows: Any,
                                    action: str, status: int) -> None:
    before = rows()
    resp = api.post(f"/v1/environments/{deployed['env']}/actions/{action}", json={},
                    headers=auth(ALICE))
    assert resp.status_code == status
    assert rows() == before


def test_action_result_of_other_environment_is_404(api: httpx.Client, env_api: EnvApi,
                                                   deployed: dict) -> None:
    other = env_api.create_env("other")
    task_id = env_api.deployments(deployed["env"])[0]["id"]
    assert api.get(f"/v1/environments/{other['id']}/actions/{task_id}",
                   headers=auth(ALICE)).status_code == 404


def test_static_action_and_schema_answer_503_without_engine(api: httpx.Client) -> None:
    resp = api.post("/v1/actions", json={"className": "ns.Bar", "methodName": "hello",
                                         "parameters": {"name": "J"}}, headers=auth(ALICE))
    assert resp.status_code == 503
    assert "no deployment engine" in resp.json()["error"]["message"]
    schema = api.get("/v1/schemas/ns.Bar/a,b?classVersion=1.0", headers=auth(ALICE))
    assert schema.status_code == 503


def test_static_action_needs_class_and_method(api: httpx.Client) -> None:
    resp = api.post("/v1/actions", json={"className": "ns.Bar"}, headers=auth(ALICE))
    assert resp.status_code == 400 and "methodName" in resp.json()["error"]["message"]


class RecordingPublisher:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def publish_task(self, task: dict[str, Any]) -> None:
        self.calls.append(("task", task))

    def call_static_action(self, task: dict[str, Any], timeout: float) -> Any:
        self.calls.append(("static", task))
        return f"Hello, {task['action']['args']['name']}"

    def generate_schema(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        self.calls.append(("schema", request))
        return {"": {"type": "object"}}


def test_static_action_and_schema_go_through_publisher(api: httpx.Client, api_app: Any) -> None:
    recorder = RecordingPublisher()
    api_app.state.publisher = recorder
    said = ok(api.post("/v1/actions", json={"className": "ns.Bar", "methodName": "hello",
                                            "parameters": {"name": "John"}},
                       headers=auth(ALICE)))
    assert said == "Hello, John"
    assert ok(api.get("/v1/schemas/ns.Bar/m1,m2?packageName=p", headers=auth(ALICE))) == {
        "": {"type": "object"}}
    (_, task), (_, schema) = recorder.calls
    assert task["action"] == {"method": "hello", "args": {"name": "John"},
                              "class_name": "ns.Bar", "pkg_name": None, "class_version": "=0"}
    assert (task["token"], task["project_id"], task["user_id"]) == (ALICE, "proj-a", "alice")
    assert schema["method_names"] == ["m1", "m2"] and schema["package_name"] == "p"
    assert schema["class_version"] == "=0"


class BrokenBus(RecordingPublisher):
    def publish_task(self, task: dict[str, Any]) -> None:
        raise ConnectionError("bus down")


def test_deploy_with_bus_down_leaves_session_open(api: httpx.Client, api_app: Any,
                                                  env_api: EnvApi) -> None:
    api_app.state.publisher = BrokenBus()
    env = env_api.create_env("busdown")
    sid = env_api.configure(env["id"])
    resp = env_api.deploy(env["id"], sid)
    assert resp.status_code == 503 and "message bus" in resp.json()["error"]["message"]
    assert env_api.deployments(env["id"]) == []
    assert env_api.show(env["id"])["status"] == "pending"
