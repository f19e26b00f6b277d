"""Applications by path (reference §4.2) and the object model routes (§3.6, §3.7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _env_helpers import ALICE, EnvApi, app_object, auth, ok

PATCH_TYPE = "application/env-model-json-patch"


@pytest.fixture
def draft(env_api: EnvApi) -> tuple[str, str]:
    env = env_api.create_env("svc")
    sid = env_api.configure(env["id"])
    env_api.add_app(env["id"], sid, app_object("app1"))
    return env["id"], sid


def _h(sid: str, **extra: str) -> dict[str, str]:
    return auth(ALICE, **{"X-Configuration-Session": sid}, **extra)


def test_get_paths_walk_ids_indexes_and_keys(api: httpx.Client, draft: tuple[str, str]) -> None:
    env_id, sid = draft
    base = f"/v1/environments/{env_id}/services"
    listed = ok(api.get(base, headers=_h(sid)))
    assert listed[0]["?"] == {"id": "app1", "type": "com.example.App", "status": "pending"}
    assert ok(api.get(base + "/app1", headers=_h(sid)))["name"] == "app"
    assert ok(api.get(base + "/0/instance/flavor", headers=_h(sid))) == "m1.small"
    assert ok(api.get(base + "/app1/instance/flavor/deeper", headers=_h(sid))) == "m1.small"
    assert api.get(base + "/nope", headers=_h(sid)).status_code == 404
    assert api.get(base + "/app1/missing", headers=_h(sid)).status_code == 404
    # Without the session header the deployed (empty) description is read.
    assert ok(api.get(base, headers=auth(ALICE))) == []


def test_post_appends_dicts_and_extends_lists(api: httpx.Client, draft: tuple[str, str]) -> None:
    env_id, sid = draft
    base = f"/v1/environments/{env_id}/services"
    more = [app_object("app2"), app_object("app3")]
    assert ok(api.post(base, json=more, headers=_h(sid))) == more
    ids = [s["?"]["id"] for s in ok(api.get(base, headers=_h(sid)))]
    assert ids == ["app1", "app2", "app3"]


def test_post_to_deeper_path_is_400(api: httpx.Client, draft: tuple[str, str],
                                    rows: Any) -> None:
    env_id, sid = draft
    before = rows()
    resp = api.post(f"/v1/environments/{env_id}/services/app1", json={"x": 1}, headers=_h(sid))
    assert resp.status_code == 400
    assert "services list only" in resp.json()["error"]["message"]
    assert rows() == before


def test_put_replaces_node_and_list(api: httpx.Client, draft: tuple[str, str]) -> None:
    env_id, sid = draft
    base = f"/v1/environments/{env_id}/services"
    assert ok(api.put(base + "/app1/instance/flavor", json="m1.large", headers=_h(sid))) \
        == "m1.large"
    assert ok(api.get(base + "/app1/instance/flavor", headers=_h(sid))) == "m1.large"
    assert ok(api.put(base + "/", json=[app_object("x9")], headers=_h(sid)))[0]["?"]["id"] == "x9"
    assert [s["?"]["id"] for s in ok(api.get(base, headers=_h(sid)))] == ["x9"]
    model = ok(api.get(f"/v1/environments/{env_id}/model/", headers=_h(sid)))
    assert model["?"]["updated"]
    assert ok(api.put(base, headers=_h(sid))) == []


def test_delete_removes_element(api: httpx.Client, draft: tuple[str, str]) -> None:
    env_id, sid = draft
    base = f"/v1/environments/{env_id}/services"
    resp = api.delete(base + "/app1", headers=_h(sid))
    assert resp.status_code == 200 and resp.content == b""
    assert ok(api.get(base, headers=_h(sid))) == []
    assert api.delete(base + "/app1", headers=_h(sid)).status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_writes_need_session_header(api: httpx.Client, draft: tuple[str, str], method: str,
                                    rows: Any) -> None:
    env_id, _ = draft
    before = rows()
    resp = api.request(method, f"/v1/environments/{env_id}/services/app1"
                       if method == "DELETE" else f"/v1/environments/{env_id}/services",
                       json=app_object("z"), headers=auth(ALICE))
    assert resp.status_code == 400
    assert "X-Configuration-Session" in resp.json()["error"]["message"]
    assert rows() == before


def test_writes_refused_while_deploying(env_api: EnvApi, api: httpx.Client,
                                        draft: tuple[str, str], rows: Any) -> None:
    env_id, sid = draft
    ok(env_api.deploy(env_id, sid))
    before = rows()
    resp = api.post(f"/v1/environments/{env_id}/services", json=app_object("late"),
                    headers=_h(sid))
    assert resp.status_code == 403
    assert rows() == before


def test_model_get_paths(api: httpx.Client, draft: tuple[str, str]) -> None:
    env_id, sid = draft
    base = f"/v1/environments/{env_id}/model"
    assert ok(api.get(base + "/", headers=_h(sid)))["name"] == "svc"
    assert ok(api.get(base + "/services/app1/instance/name", headers=_h(sid))) == "vm1"
    assert api.get(base + "/nothing/here", headers=_h(sid)).status_code == 404


def test_model_patch_applies_and_returns_objects(api: httpx.Client,
                                                 draft: tuple[str, str]) -> None:
    env_id, sid = draft
    patch = [{"op": "replace", "path": "/defaultNetworks/flat", "value": True},
             {"op": "add", "path": "/services/-", "value": app_object("new")},
             {"op": "remove", "path": "/services/0", "value": None},
             {"op": "replace", "path": "/name", "value": "renamed"}]
    resp = api.patch(f"/v1/environments/{env_id}/model/", json=patch,
                     headers=_h(sid, **{"Content-Type": PATCH_TYPE}))
    body = ok(resp)
    assert body["defaultNetworks"]["flat"] is True and body["name"] == "renamed"
    assert [s["?"]["id"] for s in body["services"]] == ["new"]
    assert ok(api.get(f"/v1/environments/{env_id}/model/", headers=_h(sid))) == body


@pytest.mark.parametrize(("patch", "status", "words"), [
    ([{"op": "replace", "path": "/", "value": {}}], 403, "not allowed"),
    ([{"op": "replace", "path": "/?/id", "value": "x"}], 403, "not allowed"),
    ([{"op": "add", "path": "/name", "value": "x"}], 403, "not allowed"),
    ([{"op": "remove", "path": "/region", "value": None}], 403, "not allowed"),
    ([{"op": "move", "from": "/a", "path": "/services", "value": 1}], 403, "not allowed"),
    ([{"op": "remove", "path": "/services/0"}], 400, "'value'"),
    ([{"op": "add", "path": "services", "value": 1}], 400, "starting with '/'"),
    ([{"op": "add", "path": "/services//0", "value": 1}], 400, "malformed"),
    ([{"op": "add", "path": "/services/", "value": 1}], 400, "malformed"),
    ([{"op": "add", "path": "/a~2b", "value": 1}], 400, "malformed"),
    ([{"op": "replace", "path": "/region", "value": 5}], 400, "invalid value"),
    ([{"op": "replace", "path": "/defaultNetworks/flat", "value": "yes"}], 400, "invalid value"),
    ([{"op": "add", "path": "/services/-", "value": "not an object"}], 400, "invalid value"),
    ([{"op": "replace", "path": "/services/7", "value": {}}], 404, "cannot apply"),
    ([], 400, "non-empty"),
    ({"op": "add"}, 400, "non-empty"),
])
def test_model_patch_rejects(api: httpx.Client, draft: tuple[str, str], rows: Any,
                             patch: Any, status: int, words: str) -> None:
    env_id, sid = draft
    before = rows()
    resp = api.patch(f"/v1/environments/{env_id}/model/", json=patch,
                     headers=_h(sid, **{"Content-Type": PATCH_TYPE}))
    assert resp.status_code == status, resp.text
    assert words in resp.json()["error"]["message"]
    assert rows() == before


def test_model_patch_needs_its_content_type_and_session(api: httpx.Client,
                                                        draft: tuple[str, str],
                                                        rows: Any) -> None:
    env_id, sid = draft
    patch = [{"op": "replace", "path": "/name", "value": "x"}]
    before = rows()
    plain = api.patch(f"/v1/environments/{env_id}/model/", json=patch, headers=_h(sid))
    assert plain.status_code == 415 and PATCH_TYPE in plain.json()["error"]["hint"]
    no_session = api.patch(f"/v1/environments/{env_id}/model/", json=patch,
                           headers=auth(ALICE, **{"Content-Type": PATCH_TYPE}))
    assert no_session.status_code == 400
    assert rows() == before
