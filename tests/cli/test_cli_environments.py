"""environment-* and app-show commands against a live API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from conftest import Fornace, engine_result

from fornace.api.results import process_result


def _app(name: str, app_id: str) -> dict:
    return {"?": {"type": "com.example.Hello", "id": app_id}, "name": name, "greeting": "hi"}


def test_create_list_show_rename(fornace: Fornace, api: httpx.Client) -> None:
    [env] = fornace.json("environment-create", "env-a", "--region", "RegionOne")
    assert env["name"] == "env-a"
    assert api.get(f"/v1/environments/{env['id']}").json()["name"] == "env-a"
    listed = fornace.json("environment-list")
    assert [e["id"] for e in listed] == [env["id"]]
    table = fornace.ok("environment-list").stdout
    assert "env-a" in table and env["id"] in table
    shown = fornace.json("environment-show", "env-a")       # by name
    assert shown["id"] == env["id"] and shown["services"] == []
    [renamed] = fornace.json("environment-rename", env["id"], "env-b")
    assert renamed["name"] == "env-b"
    assert api.get(f"/v1/environments/{env['id']}").json()["name"] == "env-b"


def test_create_joining_existing_network(fornace: Fornace, api: httpx.Client) -> None:
    [env] = fornace.json("environment-create", "joined", "--join-net-id", "net-1")
    model = api.get(f"/v1/environments/{env['id']}/model/defaultNetworks").json()
    assert model["environment"]["internalNetworkName"] == "net-1"
    assert model["environment"]["?"]["type"] == "io.murano.resources.ExistingNeutronNetwork"


def test_show_unknown_environment_is_one_line_404(fornace: Fornace) -> None:
    result = fornace("environment-show", "nope")
    assert result.exit_code == 4
    assert "No environment with a name or id of 'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_session_apps_edit_app_show_and_model(fornace: Fornace, api: httpx.Client,
                                              tmp_path: Path, engine_side: Any) -> None:
    [env] = fornace.json("environment-create", "apps", "--join-net-id", "n")
    sid = fornace.json("environment-session-create", env["id"])["id"]
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps([{"op": "add", "path": "/-",
                                  "value": {"?": {"type": "com.example.Hello", "id": "===id1==="},
                                            "name": "hello", "greeting": "hi"}}]))
    fornace.ok("environment-apps-edit", env["id"], str(patch), "--session-id", sid)
    services = api.get(f"/v1/environments/{env['id']}/services",
                       headers={"X-Configuration-Session": sid}).json()
    assert [s["name"] for s in services] == ["hello"]
    app_id = services[0]["?"]["id"]
    assert len(app_id) == 32 and app_id != "===id1==="

    shown = fornace.json("environment-show", env["id"], "--session-id", sid, "--only-apps")
    assert shown[0]["name"] == "hello"
    model = fornace.json("environment-model-show", env["id"], "--session-id", sid,
                         "--path", "/services/0/greeting")
    assert model == "hi"
    edit = [{"op": "replace", "path": "/services/0/greeting", "value": "hello"}]
    fornace.ok("environment-model-edit", env["id"], "--session-id", sid,
               input=json.dumps(edit))
    assert api.get(f"/v1/environments/{env['id']}/services/{app_id}",
                   headers={"X-Configuration-Session": sid}).json()["greeting"] == "hello"
    # app-show sees only deployed (or session) data; the session is not deployed yet
    assert fornace.json("app-show", env["id"]) == []
    objects = api.get(f"/v1/environments/{env['id']}/model/",
                      headers={"X-Configuration-Session": sid}).json()
    shown = fornace.json("environment-deploy", env["id"], "--session-id", sid)
    assert shown["status"] == "deploying"
    [deployment] = fornace.json("deployment-list", env["id"])
    assert deployment["state"] == "running"       # no engine: it stays running
    engine_side(lambda db: process_result(db, env["id"], engine_result(objects)))
    [row] = fornace.json("app-show", env["id"])
    assert row == {"id": app_id, "name": "hello", "type": "com.example.Hello"}
    app = fornace.json("app-show", env["id"], "--path", app_id)
    assert app["greeting"] == "hello"
    [deployment] = fornace.json("deployment-list", env["id"])
    assert deployment["state"] == "success"
    assert fornace.json("deployment-list", "--all-environments")[0]["id"] == deployment["id"]


def test_model_edit_rejects_bad_patch_and_changes_nothing(fornace: Fornace,
                                                         api: httpx.Client) -> None:
    [env] = fornace.json("environment-create", "bad", "--join-net-id", "n")
    sid = fornace.json("environment-session-create", env["id"])["id"]
    before = api.get(f"/v1/environments/{env['id']}/model/",
                     headers={"X-Configuration-Session": sid}).json()
    result = fornace("environment-model-edit", env["id"], "--session-id", sid,
                     input=json.dumps([{"op": "move", "path": "/name"}]))
    assert result.exit_code == 2 and '"op"' in result.stderr
    after = api.get(f"/v1/environments/{env['id']}/model/",
                    headers={"X-Configuration-Session": sid}).json()
    assert before == after


def test_delete_many_and_abandon(fornace: Fornace, api: httpx.Client) -> None:
    [a] = fornace.json("environment-create", "del-a")
    [b] = fornace.json("environment-create", "del-b")
    result = fornace("environment-delete", "del-a", "missing", "--abandon")
    assert result.exit_code == 0
    assert "Failed to delete 'missing'; environment not found" in result.stderr
    assert api.get(f"/v1/environments/{a['id']}").status_code == 404
    listed = fornace.json("environment-delete", b["id"])   # never deployed: gone at once
    assert listed == []
    assert api.get(f"/v1/environments/{b['id']}").status_code == 404
    result = fornace("environment-delete", "ghost")
    assert result.exit_code == 1
    assert "Unable to find and delete any" in result.stderr


def test_yaml_output_and_logs_without_deployments(fornace: Fornace) -> None:
    import yaml

    fornace.ok("environment-create", "quiet")
    [env] = yaml.safe_load(fornace.ok("environment-list", output="yaml").stdout)
    assert env["name"] == "quiet"
    result = fornace("logs", "quiet")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: environment quiet has no deployments yet"
