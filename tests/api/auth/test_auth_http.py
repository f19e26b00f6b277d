"""What a client sees over HTTP: 401 and 403 as JSON with a message, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fornace.api.deps import Ctx
from fornace.auth.policy import authorize
from fornace.testing.servers import running_server


@pytest.fixture
def http(settings_factory, whoami_app) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    app = whoami_app(settings_factory())  # noauth is the default mode

    @app.post("/categories-like")
    def add(ctx: Ctx) -> dict[str, str]:
        authorize(ctx, "add_category")
        return {"ok": ctx.user_id}

    with running_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def test_noauth_identity_reaches_the_route(http: httpx.Client):
    body = http.get("/whoami", headers={"X-Auth-Token": "ann:proj9:member,ops"}).json()
    assert body == {"user_id": "ann", "project_id": "proj9", "roles": ["member", "ops"],
                    "is_admin": False}


@pytest.mark.parametrize("headers", [{}, {"X-Auth-Token": "a:b:c:d"}, {"X-Auth-Token": ":x"}])
def test_bad_noauth_tokens_are_401_json(http: httpx.Client, headers: dict[str, str]):
    resp = http.get("/whoami", headers=headers)
    assert resp.status_code == 401
    assert resp.headers["content-type"] == "application/json"
    assert resp.headers["WWW-Authenticate"].startswith("Keystone")
    error = resp.json()["error"]
    assert error["code"] == 401 and error["title"] == "Unauthorized"
    assert error["message"] and error["hint"]
    assert "Traceback" not in resp.text


def test_policy_denial_is_403_json_naming_the_rule(http: httpx.Client):
    denied = http.post("/categories-like", headers={"X-Auth-Token": "ann:proj9"})
    assert denied.status_code == 403
    assert denied.json()["error"]["message"] == "policy does not allow add_category for this caller"
    assert "admin role" in denied.json()["error"]["hint"]
    ok = http.post("/categories-like", headers={"X-Auth-Token": "boss:proj9:admin"})
    assert ok.status_code == 200 and ok.json() == {"ok": "boss"}
