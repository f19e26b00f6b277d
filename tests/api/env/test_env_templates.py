"""Environment templates, their applications, create-environment and clone (§8)."""

from __future__ import annotations

from typing import Any

import httpx
from _env_helpers import ADMIN, ALICE, AMY, BOB, EnvApi, app_object, auth, ok

ROW_KEYS = {"id", "name", "tenant_id", "version", "description_text", "is_public", "created",
            "updated"}


def _template(api: httpx.Client, name: str, token: str = ALICE, **extra: Any) -> dict:
    return ok(api.post("/v1/templates", json={"name": name, **extra}, headers=auth(token)))


def test_create_and_show(api: httpx.Client) -> None:
    created = _template(api, "t1", services=[app_object("a1")])
    assert set(created) == ROW_KEYS | {"services"}
    assert created["is_public"] is False and created["tenant_id"] == "proj-a"
    shown = ok(api.get(f"/v1/templates/{created['id']}", headers=auth(ALICE)))
    assert set(shown) == ROW_KEYS | {"services"}
    assert [s["?"]["id"] for s in shown["services"]] == ["a1"]
    bare = _template(api, "t2")
    assert set(bare) == ROW_KEYS
    assert ok(api.get(f"/v1/templates/{bare['id']}", headers=auth(ALICE)))["services"] == []


def test_list_visibility(api: httpx.Client) -> None:
    _template(api, "mine-private")
    _template(api, "mine-public", is_public=True)
    _template(api, "bob-private", token=BOB)
    _template(api, "bob-public", token=BOB, is_public=True)

    def names(token: str, query: str = "") -> set[str]:
        body = ok(api.get("/v1/templates" + query, headers=auth(token)))
        return {t["name"] for t in body["templates"]}

    assert names(ALICE) == {"mine-private", "mine-public", "bob-public"}
    assert names(ALICE, "?is_public=true") == {"mine-public", "bob-public"}
    assert names(ALICE, "?is_public=false") == {"mine-private"}
    assert names(BOB) == {"bob-private", "bob-public", "mine-public"}


def test_update_and_delete_by_owner(api: httpx.Client) -> None:
    tpl = _template(api, "t")
    updated = ok(api.put(f"/v1/templates/{tpl['id']}",
                         json={"name": "t-new", "description_text": "d"}, headers=auth(AMY)))
    assert (updated["name"], updated["description_text"]) == ("t-new", "d")
    resp = api.delete(f"/v1/templates/{tpl['id']}", headers=auth(ALICE))
    assert resp.status_code == 200 and resp.content == b""
    assert api.get(f"/v1/templates/{tpl['id']}", headers=auth(ALICE)).status_code == 404


def test_public_template_changes_only_by_owner_or_admin(api: httpx.Client, rows: Any) -> None:
    tpl = _template(api, "pub", is_public=True)
    before = rows()
    assert api.put(f"/v1/templates/{tpl['id']}", json={"name": "hijack"},
                   headers=auth(BOB)).status_code == 403
    assert api.delete(f"/v1/templates/{tpl['id']}", headers=auth(BOB)).status_code == 403
    assert rows() == before
    assert ok(api.get(f"/v1/templates/{tpl['id']}", headers=auth(BOB)))["name"] == "pub"
    assert ok(api.put(f"/v1/templates/{tpl['id']}", json={"name": "by-admin"},
                      headers=auth(ADMIN)))["name"] == "by-admin"


def test_create_environment_from_template(api: httpx.Client, env_api: EnvApi) -> None:
    tpl = _template(api, "t", services=[app_object("a1"), app_object("a2")])
    made = ok(api.post(f"/v1/templates/{tpl['id']}/create-environment",
                       json={"name": "from-tpl", "region": None}, headers=auth(ALICE)))
    assert set(made) == {"session_id", "environment_id"}
    shown = env_api.show(made["environment_id"],
                         **{"X-Configuration-Session": made["session_id"]})
    assert shown["status"] == "pending"
    assert [s["?"]["id"] for s in shown["services"]] == ["a1", "a2"]
    assert env_api.show(made["environment_id"])["services"] == []
    assert env_api.deploy(made["environment_id"], made["session_id"]).status_code == 200


def test_create_environment_duplicate_name_is_409(api: httpx.Client, env_api: EnvApi,
                                                  rows: Any) -> None:
    env_api.create_env("taken")
    tpl = _template(api, "t")
    before = rows()
    resp = api.post(f"/v1/templates/{tpl['id']}/create-environment", json={"name": "taken"},
                    headers=auth(ALICE))
    assert resp.status_code == 409
    assert rows() == before


def test_clone_only_public(api: httpx.Client, rows: Any) -> None:
    private = _template(api, "priv", services=[app_object("a1")])
    before = rows()
    resp = api.post(f"/v1/templates/{private['id']}/clone", json={"name": "c"},
                    headers=auth(ALICE))
    assert resp.status_code == 403 and rows() == before
    public = _template(api, "pub", is_public=True, services=[app_object("a1")])
    clone = ok(api.post(f"/v1/templates/{public['id']}/clone", json={"name": "c"},
                        headers=auth(BOB)))
    assert clone["tenant_id"] == "proj-b" and clone["is_public"] is False
    assert clone["created"] == public["created"]
    assert [s["?"]["id"] for s in clone["services"]] == ["a1"]


def test_template_applications(api: httpx.Client) -> None:
    tpl = _template(api, "apps")
    base = f"/v1/templates/{tpl['id']}/services"
    assert ok(api.get(base, headers=auth(ALICE))) == []
    app = app_object("a1")
    assert ok(api.post(base, json=app, headers=auth(ALICE))) == app
    ok(api.post(base, json=[app_object("a2"), app_object("a3")], headers=auth(ALICE)))
    assert ok(api.get(base + "/a2/instance/flavor", headers=auth(ALICE))) == "m1.small"
    # PUT replaces the named application (Murano always overwrote the first one).
    replacement = app_object("a2", name="changed")
    assert ok(api.put(base + "/a2", json=replacement, headers=auth(ALICE))) == replacement
    listed = ok(api.get(base, headers=auth(ALICE)))
    assert [(s["?"]["id"], s["name"]) for s in listed] == [
        ("a1", "app"), ("a2", "changed"), ("a3", "app")]
    description = ok(api.delete(base + "/a1", headers=auth(ALICE)))
    assert [s["?"]["id"] for s in description["services"]] == ["a2", "a3"]
    assert description["id"] == tpl["id"]
    assert api.put(base + "/nope", json=app, headers=auth(ALICE)).status_code == 404


def test_template_applications_owner_only(api: httpx.Client, rows: Any) -> None:
    tpl = _template(api, "pub-apps", is_public=True, services=[app_object("a1")])
    base = f"/v1/templates/{tpl['id']}/services"
    before = rows()
    for method, url in (("GET", base), ("GET", base + "/a1"), ("POST", base),
                        ("PUT", base + "/a1"), ("DELETE", base + "/a1")):
        resp = api.request(method, url, json=app_object("x"), headers=auth(BOB))
        assert resp.status_code == 403, (method, url)
    assert rows() == before
