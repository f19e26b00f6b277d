"""Tenant isolation: project B can neither read nor change project A's resources.

One test per route of the environment side (reference §1 routes 1-25, 39-52);
each checks the status, that A's data is not in the answer, and that the
database is unchanged.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _env_helpers import ADMIN, ALICE, BOB, EnvApi, app_object, auth, engine_result, ok

from fornace.api.results import process_result

MARK = "secret-a-marker"
PATCH = "application/env-model-json-patch"


@pytest.fixture
def project_a(env_api: EnvApi, api: httpx.Client, engine_side: Any) -> dict[str, str]:
    env = env_api.create_env(MARK)
    sid = env_api.configure(env["id"])
    app = app_object("app1", secret=MARK)
    app["?"]["_actions"] = {"app1_go": {"name": "go", "enabled": True}}
    env_api.add_app(env["id"], sid, app)
    ok(env_api.deploy(env["id"], sid))
    objects = ok(api.get(f"/v1/environments/{env['id']}/model/",
                         headers=auth(ALICE, **{"X-Configuration-Session": sid})))
    objects["?"]["id"] = env["id"]
    engine_side(lambda db: process_result(db, env["id"], engine_result(objects)))
    task = env_api.deployments(env["id"])[0]["id"]
    draft = env_api.configure(env["id"])
    private = ok(api.post("/v1/templates", json={"name": MARK + "-t",
                                                 "services": [app_object("t1", secret=MARK)]},
                          headers=auth(ALICE)))
    public = ok(api.post("/v1/templates", json={"name": MARK + "-p", "is_public": True,
                                                "services": [app_object("p1")]},
                         headers=auth(ALICE)))
    return {"env": env["id"], "sid": draft, "task": task, "tpl": private["id"],
            "pub": public["id"]}


E = "/v1/environments/{env}"
ROUTES: list[tuple[str, str, Any, dict[str, str]]] = [
    ("GET", E, None, {}),
    ("PUT", E, {"name": "stolen"}, {}),
    ("DELETE", E, None, {}),
    ("DELETE", E + "?abandon=true", None, {}),
    ("GET", E + "/lastStatus", None, {}),
    ("GET", E + "/model/", None, {}),
    ("GET", E + "/model/services", None, {"X-Configuration-Session": "{sid}"}),
    ("PATCH", E + "/model/", [{"op": "replace", "path": "/name", "value": "x"}],
     {"X-Configuration-Session": "{sid}", "Content-Type": PATCH}),
    ("POST", E + "/configure", None, {}),
    ("GET", E + "/sessions/{sid}", None, {}),
    ("DELETE", E + "/sessions/{sid}", None, {}),
    ("POST", E + "/sessions/{sid}/deploy", None, {}),
    ("GET", E + "/services", None, {}),
    ("GET", E + "/services/app1", None, {"X-Configuration-Session": "{sid}"}),
    ("POST", E + "/services", app_object("x"), {"X-Configuration-Session": "{sid}"}),
    ("PUT", E + "/services/app1", app_object("x"), {"X-Configuration-Session": "{sid}"}),
    ("DELETE", E + "/services/app1", None, {"X-Configuration-Session": "{sid}"}),
    ("GET", E + "/deployments", None, {}),
    ("GET", E + "/deployments/{task}", None, {}),
    ("GET", E + "/deployments/{task}?service_id=app1", None, {}),
    ("POST", E + "/actions/app1_go", {}, {}),
    ("GET", E + "/actions/{task}", None, {}),
    ("GET", E + "/instance-statistics/raw", None, {}),
    ("GET", E + "/instance-statistics/raw/i-1", None, {}),
    ("GET", E + "/instance-statistics/aggregated", None, {}),
    ("GET", "/v1/templates/{tpl}", None, {}),
    ("PUT", "/v1/templates/{tpl}", {"name": "stolen"}, {}),
    ("PUT", "/v1/templates/{pub}", {"name": "stolen"}, {}),
    ("DELETE", "/v1/templates/{tpl}", None, {}),
    ("DELETE", "/v1/templates/{pub}", None, {}),
    ("POST", "/v1/templates/{tpl}/create-environment", {"name": "mine"}, {}),
    ("POST", "/v1/templates/{tpl}/clone", {"name": "mine"}, {}),
    ("GET", "/v1/templates/{tpl}/services", None, {}),
    ("GET", "/v1/templates/{pub}/services/p1", None, {}),
    ("POST", "/v1/templates/{pub}/services", app_object("x"), {}),
    ("PUT", "/v1/templates/{pub}/services/p1", app_object("x"), {}),
    ("DELETE", "/v1/templates/{pub}/services/p1", None, {}),
]


@pytest.mark.parametrize(("method", "path", "body", "headers"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_other_project_is_refused(api: httpx.Client, project_a: dict[str, str], rows: Any,
                                  method: str, path: str, body: Any,
                                  headers: dict[str, str]) -> None:
    url = path.format(**project_a)
    sent = {k: v.format(**project_a) for k, v in headers.items()}
    before = rows()
    kwargs: dict[str, Any] = {"headers": auth(BOB, **sent)}
    if body is not None:
        kwargs["json"] = body
        if "Content-Type" in sent:
            kwargs["headers"]["Content-Type"] = sent["Content-Type"]
    resp = api.request(method, url, **kwargs)
    assert resp.status_code in (403, 404), resp.text
    assert MARK not in resp.text and project_a["env"] not in resp.text.replace(url, "")
    assert rows() == before


def test_lists_hide_other_projects(api: httpx.Client, project_a: dict[str, str]) -> None:
    for url, key in (("/v1/environments", "environments"), ("/v1/deployments", "deployments")):
        assert ok(api.get(url, headers=auth(BOB)))[key] == []
    names = {t["name"] for t in ok(api.get("/v1/templates", headers=auth(BOB)))["templates"]}
    assert names == {MARK + "-p"}  # public templates are shared, private ones are not


def test_admin_of_another_project_may_read(api: httpx.Client, project_a: dict[str, str]) -> None:
    env = ok(api.get(f"/v1/environments/{project_a['env']}", headers=auth(ADMIN)))
    assert env["name"] == MARK
    assert ok(api.get(f"/v1/templates/{project_a['tpl']}", headers=auth(ADMIN)))["id"] \
        == project_a["tpl"]
    listed = ok(api.get("/v1/environments?all_tenants=true", headers=auth(ADMIN)))
    assert [e["id"] for e in listed["environments"]] == [project_a["env"]]
    assert api.get("/v1/environments?all_tenants=true", headers=auth(BOB)).status_code == 403
