"""Environments: create, list, show, rename, delete, abandon (reference §3, §2.9)."""

from __future__ import annotations

import httpx
from _env_helpers import ADMIN, ALICE, BOB, EnvApi, app_object, auth, ok

ROW_KEYS = {"id", "name", "tenant_id", "version", "description_text", "created", "updated"}


def test_create_returns_row_and_echoes_extra_keys(api: httpx.Client) -> None:
    body = ok(api.post("/v1/environments", json={"name": "env1", "region": None},
                       headers=auth(ALICE)))
    assert set(body) == ROW_KEYS | {"region"}
    assert body["region"] is None
    assert body["tenant_id"] == "proj-a" and body["version"] == 0
    assert len(body["id"]) == 32 and body["id"].isalnum()
    assert "T" in body["created"] and "." not in body["created"]


def test_create_generates_neutron_default_network(env_api: EnvApi, api: httpx.Client) -> None:
    env = env_api.create_env("netenv")
    model = ok(api.get(f"/v1/environments/{env['id']}/model/", headers=auth(ALICE)))
    assert model["?"]["type"] == "io.murano.Environment" and model["?"]["metadata"] == {}
    assert model["?"]["id"] != env["id"]
    network = model["defaultNetworks"]["environment"]
    assert network["?"]["type"] == "io.murano.resources.NeutronNetwork"
    assert network["name"] == "netenv-network"
    assert model["defaultNetworks"]["flat"] is None


def test_create_keeps_given_default_networks(env_api: EnvApi, api: httpx.Client) -> None:
    nets = {"environment": None, "flat": None}
    env = env_api.create_env("nonet", defaultNetworks=nets)
    assert env["defaultNetworks"] == nets
    model = ok(api.get(f"/v1/environments/{env['id']}/model/defaultNetworks",
                       headers=auth(ALICE)))
    assert model == nets


def test_list_shows_own_project_with_status(env_api: EnvApi, api: httpx.Client) -> None:
    mine = env_api.create_env("a1")
    env_api.create_env("b1", token=BOB)
    listed = ok(api.get("/v1/environments", headers=auth(ALICE)))["environments"]
    assert [e["id"] for e in listed] == [mine["id"]]
    assert set(listed[0]) == ROW_KEYS | {"status"}
    assert listed[0]["status"] == "ready"


def test_list_status_follows_sessions(env_api: EnvApi, api: httpx.Client) -> None:
    ready = env_api.create_env("ready")
    pending = env_api.create_env("pending")
    deploying = env_api.create_env("deploying")
    env_api.configure(pending["id"])
    sid = env_api.configure(deploying["id"])
    ok(env_api.deploy(deploying["id"], sid))
    listed = ok(api.get("/v1/environments", headers=auth(ALICE)))["environments"]
    assert {e["name"]: e["status"] for e in listed} == {
        "ready": "ready", "pending": "pending", "deploying": "deploying"}
    assert ready["id"] in {e["id"] for e in listed}


def test_all_tenants_listing_needs_admin(env_api: EnvApi, api: httpx.Client) -> None:
    env_api.create_env("a1")
    env_api.create_env("b1", token=BOB)
    denied = api.get("/v1/environments?all_tenants=true", headers=auth(ALICE))
    assert denied.status_code == 403
    assert "list_environments_all_tenants" in denied.json()["error"]["message"]
    assert api.get("/v1/environments?tenant=proj-b", headers=auth(ALICE)).status_code == 403
    everything = ok(api.get("/v1/environments?all_tenants=True", headers=auth(ADMIN)))
    assert {e["name"] for e in everything["environments"]} == {"a1", "b1"}
    only_b = ok(api.get("/v1/environments?all_tenants=False&tenant=proj-b",
                        headers=auth(ADMIN)))
    assert [e["name"] for e in only_b["environments"]] == ["b1"]
    # Without flags even an admin sees only its own project.
    assert ok(api.get("/v1/environments", headers=auth(ADMIN)))["environments"] == []


def test_show_has_status_acquired_by_and_services(env_api: EnvApi) -> None:
    env = env_api.create_env("show")
    shown = env_api.show(env["id"])
    assert set(shown) == ROW_KEYS | {"status", "acquired_by", "services"}
    assert (shown["status"], shown["acquired_by"], shown["services"]) == ("ready", None, [])


def test_show_with_session_header_shows_draft(env_api: EnvApi) -> None:
    env = env_api.create_env("draft")
    sid = env_api.configure(env["id"])
    env_api.add_app(env["id"], sid, app_object("app1"))
    with_draft = env_api.show(env["id"], **{"X-Configuration-Session": sid})
    assert [s["?"]["id"] for s in with_draft["services"]] == ["app1"]
    assert with_draft["services"][0]["?"]["status"] == "pending"
    assert env_api.show(env["id"])["services"] == []


def test_show_while_deploying_names_acquiring_session(env_api: EnvApi) -> None:
    env = env_api.create_env("acq")
    sid = env_api.configure(env["id"])
    ok(env_api.deploy(env["id"], sid))
    shown = env_api.show(env["id"])
    assert (shown["status"], shown["acquired_by"]) == ("deploying", sid)


def test_show_missing_environment_is_404(api: httpx.Client) -> None:
    resp = api.get("/v1/environments/" + "0" * 32, headers=auth(ALICE))
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"Environment with id {'0' * 32} not found"


def test_rename_changes_row_name_only(env_api: EnvApi, api: httpx.Client) -> None:
    env = env_api.create_env("old")
    renamed = ok(api.put(f"/v1/environments/{env['id']}", json={"name": "new"},
                         headers=auth(ALICE)))
    assert set(renamed) == ROW_KEYS and renamed["name"] == "new"
    model = ok(api.get(f"/v1/environments/{env['id']}/model/name", headers=auth(ALICE)))
    assert model == "old"


def test_delete_never_deployed_environment_removes_row(env_api: EnvApi, api: httpx.Client,
                                                       published: list) -> None:
    env = env_api.create_env("gone")
    resp = api.delete(f"/v1/environments/{env['id']}", headers=auth(ALICE))
    assert resp.status_code == 200 and resp.content == b""
    assert api.get(f"/v1/environments/{env['id']}", headers=auth(ALICE)).status_code == 404
    assert published == []


def test_abandon_removes_row_without_engine(env_api: EnvApi, api: httpx.Client,
                                            published: list) -> None:
    env = env_api.create_env("stuck")
    sid = env_api.configure(env["id"])
    ok(env_api.deploy(env["id"], sid))
    published.clear()
    resp = api.delete(f"/v1/environments/{env['id']}?abandon=True", headers=auth(ALICE))
    assert resp.status_code == 200 and resp.content == b""
    assert api.get(f"/v1/environments/{env['id']}", headers=auth(ALICE)).status_code == 404
    assert ok(api.get("/v1/deployments", headers=auth(ALICE)))["deployments"] == []
    assert published == []
