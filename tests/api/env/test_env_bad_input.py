"""Bad input: each answers 4xx with a clear JSON message and leaves the database unchanged."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _env_helpers import ALICE, EnvApi, auth, ok

MISSING = "0" * 32


@pytest.fixture
def ids(env_api: EnvApi, api: httpx.Client) -> dict[str, str]:
    env = env_api.create_env("taken")
    other = env_api.create_env("other")
    sid = env_api.configure(env["id"])
    tpl = ok(api.post("/v1/templates", json={"name": "tpl"}, headers=auth(ALICE)))
    return {"env": env["id"], "other": other["id"], "sid": sid, "tpl": tpl["id"],
            "missing": MISSING}


JSON = {"Content-Type": "application/json"}
CASES: list[tuple[str, str, Any, dict[str, str], int, str]] = [
    ("POST", "/v1/environments", b"{not json", JSON, 400, "malformed JSON"),
    ("POST", "/v1/environments", b"<env/>", {"Content-Type": "application/xml"}, 415,
     "Content-Type"),
    ("POST", "/v1/environments", b"name=x", {"Content-Type": "text/plain"}, 415,
     "Content-Type"),
    ("POST", "/v1/environments", {}, {}, 400, "specify a name"),
    ("POST", "/v1/environments", [1], {}, 400, "JSON object"),
    ("POST", "/v1/environments", {"name": "  "}, {}, 400, "non-blank"),
    ("POST", "/v1/environments", {"name": 5}, {}, 400, "non-blank"),
    ("POST", "/v1/environments", {"name": "x" * 256}, {}, 400, "limit is 255"),
    ("POST", "/v1/environments", {"name": "a\u0000b"}, {}, 400, "NUL"),
    ("POST", "/v1/environments", {"name": "taken"}, {}, 409, "already exists"),
    ("PUT", "/v1/environments/{env}", {}, {}, 400, "specify a name"),
    ("PUT", "/v1/environments/{env}", {"name": "x" * 256}, {}, 400, "limit is 255"),
    ("PUT", "/v1/environments/{env}", {"name": "other"}, {}, 409, "already exists"),
    ("PUT", "/v1/environments/{missing}", {"name": "n"}, {}, 404, "not found"),
    ("DELETE", "/v1/environments/{missing}", None, {}, 404, "not found"),
    ("GET", "/v1/environments/{missing}/lastStatus", None, {}, 404, "not found"),
    ("POST", "/v1/environments/{missing}/configure", None, {}, 404, "not found"),
    ("GET", "/v1/environments/{env}/sessions/{missing}", None, {}, 404, "not found"),
    ("POST", "/v1/environments/{env}/sessions/{missing}/deploy", None, {}, 404, "not found"),
    ("GET", "/v1/environments/{env}", None, {"X-Configuration-Session": MISSING}, 404,
     "not found"),
    ("POST", "/v1/environments/{env}/services", None, {"X-Configuration-Session": "{sid}"},
     400, "empty"),
    ("POST", "/v1/environments/{env}/services", "text", {"X-Configuration-Session": "{sid}"},
     400, "application object"),
    ("PUT", "/v1/environments/{env}/services", {"a": 1}, {"X-Configuration-Session": "{sid}"},
     400, "JSON list"),
    ("POST", "/v1/environments/{other}/services", {"?": {"id": "a", "type": "t"}},
     {"X-Configuration-Session": "{sid}"}, 400, "not tied"),
    ("GET", "/v1/environments/{other}/model/", None, {"X-Configuration-Session": "{sid}"},
     400, "not tied"),
    ("DELETE", "/v1/environments/{env}/services", None, {"X-Configuration-Session": "{sid}"},
     400, "name the application"),
    ("DELETE", "/v1/environments/{env}/services/nope", None,
     {"X-Configuration-Session": "{sid}"}, 404, "not found"),
    ("GET", "/v1/environments/{env}/deployments/{missing}", None, {}, 404, "not found"),
    ("GET", "/v1/environments/{env}/actions/{missing}", None, {}, 404, "not found"),
    ("POST", "/v1/environments/{env}/actions/x_y", [1, 2], {}, 400, "JSON object"),
    ("POST", "/v1/actions", {"methodName": "m"}, {}, 400, "className"),
    ("POST", "/v1/templates", {"name": "tpl"}, {}, 409, "already exists"),
    ("POST", "/v1/templates", {"name": "x" * 256}, {}, 400, "limit is 255"),
    ("POST", "/v1/templates", {"name": "t", "is_public": "yes"}, {}, 400, "is_public"),
    ("POST", "/v1/templates", {"name": "t", "services": {"a": 1}}, {}, 400, "services"),
    ("PUT", "/v1/templates/{tpl}", {"name": ""}, {}, 400, "non-blank"),
    ("GET", "/v1/templates/{missing}", None, {}, 404, "not found"),
    ("GET", "/v1/templates?is_public=maybe", None, {}, 400, "is_public"),
    ("POST", "/v1/templates/{tpl}/clone", {"name": "c"}, {}, 403, "public"),
    ("POST", "/v1/templates/{tpl}/create-environment", {"name": "taken"}, {}, 409,
     "already exists"),
    ("POST", "/v1/templates/{tpl}/services", {}, {}, 400, "application object"),
    ("GET", "/v1/templates/{tpl}/services/nope", None, {}, 404, "not found"),
    ("GET", "/v1/no-such-route", None, {}, 404, "Not Found"),
    ("PATCH", "/v1/environments", None, {}, 405, "Method Not Allowed"),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "status", "words"), CASES,
                         ids=[f"{c[0]} {c[1]} {c[4]}" for c in CASES])
def test_bad_input_is_refused_cleanly(api: httpx.Client, ids: dict[str, str], rows: Any,
                                      method: str, path: str, body: Any,
                                      headers: dict[str, str], status: int, words: str) -> None:
    sent = auth(ALICE, **{k: v.format(**ids) for k, v in headers.items()})
    kwargs: dict[str, Any] = {"headers": sent}
    if isinstance(body, bytes):
        kwargs["content"] = body
    elif body is not None:
        kwargs["json"] = body
    before = rows()
    resp = api.request(method, path.format(**ids), **kwargs)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    error = resp.json()["error"]
    assert words.lower() in error["message"].lower()
    assert "Traceback" not in resp.text
    assert rows() == before


def test_missing_token_is_401_json(api: httpx.Client) -> None:
    resp = api.get("/v1/environments", headers={"X-Auth-Token": ""})
    assert resp.status_code == 401 and "X-Auth-Token" in resp.json()["error"]["message"]


def test_deploy_of_deployed_session_leaves_db_unchanged(env_api: EnvApi, ids: dict[str, str],
                                                        rows: Any) -> None:
    ok(env_api.deploy(ids["env"], ids["sid"]))
    before = rows()
    resp = env_api.deploy(ids["env"], ids["sid"])
    assert resp.status_code == 403 and rows() == before


def test_unexpected_error_is_json_500_without_traceback(api: httpx.Client, api_app: Any,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    class Exploding:
        def publish_task(self, task: dict[str, Any]) -> None:
            raise AssertionError("internal detail that must not leak")

        def call_static_action(self, task: dict[str, Any], timeout: float) -> Any:
            secret = "hun" + "ter2"  # built at run time: only values may not reach the log
            raise RuntimeError("first line\nSQL parameters: password=" + secret)

        generate_schema = call_static_action

    api_app.state.publisher = Exploding()
    resp = api.post("/v1/actions", json={"className": "a", "methodName": "b"},
                    headers=auth(ALICE))
    assert resp.status_code == 500
    assert "internal detail" not in resp.text and "Traceback" not in resp.text
    assert resp.json()["error"]["code"] == 500
    request_id = resp.headers["X-Openstack-Request-Id"]
    assert request_id.startswith("req-")
    [logged] = [r.getMessage() for r in caplog.records if "failed: RuntimeError" in r.getMessage()]
    assert request_id in logged and "first line" in logged and "call_static_action" in logged
    assert "hunter2" not in caplog.text


def test_nul_in_path_is_a_client_error(api: httpx.Client, ids: dict[str, str],
                                       rows: Any) -> None:
    before = rows()
    resp = api.get("/v1/environments/ab%00cd", headers=auth(ALICE))
    # PostgreSQL cannot compare text with NUL (400); SQLite finds nothing (404).
    assert resp.status_code in (400, 404) and resp.json()["error"]["message"]
    assert rows() == before
