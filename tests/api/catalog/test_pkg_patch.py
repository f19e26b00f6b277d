"""PATCH /v1/catalog/packages/{id}: Murano's json-patch dialect, its rules and refusals."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from .catalog_helpers import ADMIN, ALICE, BOB, auth

PATCH_TYPE = "application/murano-packages-json-patch"


def patch(api: httpx.Client, pkg_id: str, ops: Any, *, token: str = ALICE,
          content_type: str = PATCH_TYPE) -> httpx.Response:
    body = ops if isinstance(ops, bytes) else json.dumps(ops).encode()
    return api.patch(f"/v1/catalog/packages/{pkg_id}", content=body,
                     headers={**auth(token), "Content-Type": content_type})


@pytest.fixture
def pkg(make_package, upload) -> dict[str, Any]:
    body: dict[str, Any] = upload(make_package("com.example.Patch", tags=["one", "two"]),
                                  {"categories": ["Web"]}, token=ALICE).json()
    return body


def test_replace_scalar_fields(api: httpx.Client, pkg) -> None:
    resp = patch(api, pkg["id"], [
        {"op": "replace", "path": "/name", "value": "Renamed"},
        {"op": "replace", "path": "/description", "value": "patched"},
        {"op": "replace", "path": "/enabled", "value": False},
    ])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["name"], body["description"], body["enabled"]) == ("Renamed", "patched", False)
    assert {k: v for k, v in body.items() if k not in ("name", "description", "enabled",
                                                       "updated")} == \
        {k: v for k, v in pkg.items() if k not in ("name", "description", "enabled", "updated")}
    assert api.get(f"/v1/catalog/packages/{pkg['id']}", headers=auth(ALICE)).json() == body


def test_tags_add_remove_replace(api: httpx.Client, pkg) -> None:
    added = patch(api, pkg["id"], [{"op": "add", "path": "/tags", "value": ["two", "three"]}])
    assert added.json()["tags"] == ["one", "three", "two"]
    removed = patch(api, pkg["id"], [{"op": "remove", "path": "/tags", "value": ["one"]}])
    assert removed.json()["tags"] == ["three", "two"]
    replaced = patch(api, pkg["id"], [{"op": "replace", "path": "/tags", "value": ["x", "two"]}])
    assert replaced.json()["tags"] == ["two", "x"]
    assert api.get("/v1/catalog/packages", headers=auth(ALICE),
                   params={"tag": "x"}).json()["packages"][0]["id"] == pkg["id"]


def test_categories_add_remove_replace(api: httpx.Client, pkg) -> None:
    added = patch(api, pkg["id"], [{"op": "add", "path": "/categories",
                                    "value": ["Databases", "Web"]}])
    assert added.json()["categories"] == ["Databases", "Web"]
    removed = patch(api, pkg["id"], [{"op": "remove", "path": "/categories", "value": ["Web"]}])
    assert removed.json()["categories"] == ["Databases"]
    replaced = patch(api, pkg["id"], [{"op": "replace", "path": "/categories",
                                       "value": ["SAP", "Big Data"]}])
    assert replaced.json()["categories"] == ["Big Data", "SAP"]


def test_publicize_needs_admin(api: httpx.Client, pkg) -> None:
    denied = patch(api, pkg["id"], [{"op": "replace", "path": "/is_public", "value": True}])
    assert denied.status_code == 403 and "publicize_package" in denied.text
    ok = patch(api, pkg["id"], [{"op": "replace", "path": "/is_public", "value": True}],
               token=ADMIN)
    assert ok.status_code == 200 and ok.json()["is_public"] is True
    # The owner may still edit it (manage_public_package passes by default) ...
    assert patch(api, pkg["id"], [{"op": "replace", "path": "/description",
                                   "value": "still mine"}]).status_code == 200
    # ... and make it private again without the admin role.
    back = patch(api, pkg["id"], [{"op": "replace", "path": "/is_public", "value": False}])
    assert back.status_code == 200 and back.json()["is_public"] is False


def test_private_to_public_rechecks_conflicts(api: httpx.Client, make_package, upload) -> None:
    upload(make_package("com.example.Twin", version="1.0"), {"is_public": True})
    twin = upload(make_package("com.example.Twin", version="1.0"), token=BOB).json()
    resp = patch(api, twin["id"], [{"op": "replace", "path": "/is_public", "value": True}],
                 token=ADMIN)
    assert resp.status_code == 409 and "already made public" in resp.json()["error"]["message"]
    clash = upload(make_package("com.example.Other", classes=["com.example.Twin"]),
                   token="carol:proj-c").json()
    resp = patch(api, clash["id"], [{"op": "replace", "path": "/is_public", "value": True}],
                 token=ADMIN)
    assert resp.status_code == 409 and "com.example.Twin" in resp.json()["error"]["message"]
    for pkg_id in (twin["id"], clash["id"]):
        assert api.get(f"/v1/catalog/packages/{pkg_id}").json()["is_public"] is False


def test_other_project_cannot_patch_a_public_package(api: httpx.Client, make_package,
                                                     upload) -> None:
    public = upload(make_package("com.example.Open"), {"is_public": True},
                    token="root:proj-a:admin").json()
    resp = patch(api, public["id"], [{"op": "replace", "path": "/name", "value": "Mine"}],
                 token=BOB)
    assert resp.status_code == 403 and "not owned" in resp.json()["error"]["message"]
    assert api.get(f"/v1/catalog/packages/{public['id']}").json()["name"] == "Open"


@pytest.mark.parametrize("ops, status, message", [
    ([{"op": "replace", "path": "/owner_id", "value": "proj-b"}], 403, "is invalid"),
    ([{"op": "add", "path": "/name", "value": "x"}], 403, "not allowed for a path"),
    ([{"op": "move", "path": "/tags", "value": ["x"]}], 403, "not allowed for a path"),
    ([{"op": "remove", "path": "/tags"}], 400, 'requires a member named "value"'),
    ([{"op": "add", "path": "/tags/0", "value": "x"}], 400, "Nested paths"),
    ([{"op": "replace", "path": "tags", "value": ["x"]}], 400, 'does not start with "/"'),
    ([{"path": "/tags", "value": ["x"]}], 400, "Unable to find 'op'"),
    ([{"op": "replace", "path": "/enabled", "value": "no"}], 400, "is not of type 'boolean'"),
    ([{"op": "replace", "path": "/tags", "value": ["a", "a"]}], 400, "non-unique"),
    ([{"op": "replace", "path": "/name", "value": "n" * 81}], 400, "80 characters maximum"),
    ([{"op": "add", "path": "/categories", "value": ["Nope"]}], 400, "doesn't exist"),
    ([{"op": "replace", "path": "/description", "value": "lost"},
      {"op": "remove", "path": "/tags", "value": ["absent"]}], 404, "does not exist"),
    ({"op": "replace", "path": "/name", "value": "x"}, 400, "must be a list"),
    (["replace"], 400, "must be JSON objects"),
    (b"[{", 400, "cannot understand JSON"),
])
def test_refused_patch_changes_nothing(api: httpx.Client, pkg, catalog_snapshot, ops: Any,
                                       status: int, message: str) -> None:
    before = catalog_snapshot()
    resp = patch(api, pkg["id"], ops)
    assert resp.status_code == status, resp.text
    assert message in resp.json()["error"]["message"]
    assert catalog_snapshot() == before


@pytest.mark.parametrize("content_type", ["application/json", "application/json-patch+json",
                                          "text/plain"])
def test_patch_needs_murano_content_type(api: httpx.Client, pkg, catalog_snapshot,
                                         content_type: str) -> None:
    before = catalog_snapshot()
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    resp = patch(api, pkg["id"], ops, content_type=content_type)
    assert resp.status_code == 400
    assert PATCH_TYPE in resp.json()["error"]["message"]
    # Existence and ownership are checked first.
    assert patch(api, "0" * 32, ops, content_type=content_type).status_code == 404
    assert patch(api, pkg["id"], ops, content_type=content_type, token=BOB).status_code == 403
    assert catalog_snapshot() == before
