"""End to end through the HTTP API: deploy, fail, redeploy, remove, actions, delete."""

from __future__ import annotations

from typing import Any

import pytest

from fornace.db import make_engine, make_sessionmaker
from fornace.db.models import EngineLease

pytestmark = pytest.mark.usefixtures("engines", "packages")


def model(deployer: Any, env_id: str) -> dict[str, Any]:
    resp = deployer.api.get(f"/v1/environments/{env_id}/model/")
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_reporting_package_deploys_to_ready(deployer):
    env_id = deployer.create()
    sid = deployer.session(env_id)
    deployer.add_app(env_id, sid, "alpha", greeting="hi")
    deployer.deploy(env_id, sid)
    status = deployer.wait(env_id)
    assert status == "ready", [(r["text"], r["details"]) for r in deployer.last_reports(env_id)]
    texts = deployer.texts(env_id)
    assert texts[0] == "Action deploy is scheduled"
    assert "deployed alpha hi run 1" in texts
    assert texts[-1] == "Deployment finished"
    [deployment] = deployer.deployments(env_id)
    assert deployment["state"] == "success"
    assert deployment["finished"] is not None


def test_failing_deploy_reports_exception_and_muranopl_stack(deployer):
    env_id = deployer.create()
    sid = deployer.session(env_id)
    deployer.add_app(env_id, sid, "bad", fail=True)
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "deploy failure"
    reports = deployer.last_reports(env_id)
    errors = [r for r in reports if r["level"] == "error"]
    assert len(errors) == 1
    assert "bad refused to deploy" in errors[0]["text"]
    details = errors[0]["details"]
    assert "Reporting.yaml" in details and "explode" in details and "deploy" in details
    assert "Traceback" not in details and ".py" not in details
    assert reports[-1]["text"] == "Deployment finished with errors"
    [deployment] = deployer.deployments(env_id)
    assert deployment["state"] == "completed_w_errors"
    assert deployment["result"]["isException"] is True


def test_redeploy_after_changing_a_property(deployer):
    env_id = deployer.create()
    sid = deployer.session(env_id)
    app_id = deployer.add_app(env_id, sid, "alpha")
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "ready"
    sid = deployer.session(env_id)
    resp = deployer.api.put(f"/v1/environments/{env_id}/services/{app_id}",
                            headers={"X-Configuration-Session": sid},
                            json={"?": {"id": app_id, "type": "fornace.tests.Reporting"},
                                  "name": "alpha", "greeting": "bonjour", "runs": 1})
    assert resp.status_code == 200, resp.text
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "ready"
    assert "deployed alpha bonjour run 2" in deployer.texts(env_id)
    assert len(deployer.deployments(env_id)) == 2
    services = model(deployer, env_id)["services"]
    assert services[0]["greeting"] == "bonjour" and services[0]["runs"] == 2


def test_removing_an_application_destroys_it(deployer):
    env_id = deployer.create()
    sid = deployer.session(env_id)
    deployer.add_app(env_id, sid, "keep")
    gone_id = deployer.add_app(env_id, sid, "gone")
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "ready"
    sid = deployer.session(env_id)
    resp = deployer.api.delete(f"/v1/environments/{env_id}/services/{gone_id}",
                               headers={"X-Configuration-Session": sid})
    assert resp.status_code == 200, resp.text
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "ready"
    texts = deployer.texts(env_id)
    assert "destroyed gone" in texts
    assert "destroyed keep" not in texts
    assert [s["name"] for s in model(deployer, env_id)["services"]] == ["keep"]


def test_action_and_static_action_return_results(deployer):
    env_id = deployer.create()
    sid = deployer.session(env_id)
    app_id = deployer.add_app(env_id, sid, "alpha", greeting="hey")
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "ready"
    app = model(deployer, env_id)["services"][0]
    action_id = f"{app_id}_greet"
    assert app["?"]["_actions"][action_id]["name"] == "greet"
    resp = deployer.api.post(f"/v1/environments/{env_id}/actions/{action_id}",
                             json={"who": "Ann"})
    assert resp.status_code == 200, resp.text
    task_id = resp.json()["task_id"]
    assert deployer.wait(env_id) == "ready"
    resp = deployer.api.get(f"/v1/environments/{env_id}/actions/{task_id}")
    assert resp.json() == {"result": "hey, Ann from alpha", "isException": False}
    assert "greeting Ann" in deployer.texts(env_id)

    resp = deployer.api.post("/v1/actions", json={
        "className": "fornace.tests.Reporting", "methodName": "shout",
        "packageName": "fornace.tests.Reporting", "classVersion": "=0",
        "parameters": {"text": "quiet"}})
    assert resp.status_code == 200, resp.text
    assert resp.json() == "QUIET"


def test_schema_of_a_class(deployer):
    resp = deployer.api.get("/v1/schemas/fornace.tests.Reporting")
    assert resp.status_code == 200, resp.text
    schema = resp.json()
    assert set(schema["properties"]) >= {"name", "greeting", "fail", "runs"}
    assert "name" in schema["required"]


def test_deleting_an_environment_runs_destroy_and_removes_it(deployer, engine_reports,
                                                           engine_settings):
    env_id = deployer.create()
    sid = deployer.session(env_id)
    deployer.add_app(env_id, sid, "alpha")
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "ready"
    deployments = deployer.deployments(env_id)
    resp = deployer.api.delete(f"/v1/environments/{env_id}")
    assert resp.status_code == 200, resp.text
    assert deployer.wait_deleted(env_id) is None
    assert deployer.api.get(f"/v1/environments/{env_id}").status_code == 404
    assert len(deployments) == 1
    texts = [r["text"] for r in engine_reports if r["environment_id"] == env_id]
    assert texts[-2:] == ["destroyed alpha", "environment destroyed"]
    with make_sessionmaker(make_engine(engine_settings.effective_database_url))() as db:
        assert db.get(EngineLease, env_id) is None  # the fencing row goes with it


def test_deploying_an_unknown_class_fails_cleanly(deployer):
    env_id = deployer.create()
    sid = deployer.session(env_id)
    resp = deployer.api.post(f"/v1/environments/{env_id}/services",
                             json={"?": {"id": "a1", "type": "com.example.Missing"}, "name": "x"},
                             headers={"X-Configuration-Session": sid})
    assert resp.status_code == 200, resp.text
    deployer.deploy(env_id, sid)
    assert deployer.wait(env_id) == "deploy failure"
    [error] = [r for r in deployer.last_reports(env_id) if r["level"] == "error"]
    assert "com.example.Missing" in error["text"]
    assert "Traceback" not in (error["details"] or "")


def test_static_action_errors_map_to_murano_status_codes(deployer):
    def call(**body: Any) -> Any:
        return deployer.api.post("/v1/actions", json={
            "className": "fornace.tests.Reporting", "methodName": "shout",
            "parameters": {"text": "x"}, **body})

    assert call(className="com.example.Missing").status_code == 404
    assert call(methodName="nothing").status_code == 404
    assert call(methodName="greet").status_code == 404  # not static
    resp = call(parameters={"text": None})
    assert resp.status_code == 400, resp.text
    assert call().json() == "X"
