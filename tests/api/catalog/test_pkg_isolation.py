"""Tenant isolation on every catalog route: project B never sees or changes A's private work."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from .catalog_helpers import ADMIN, ALICE, BOB, auth

PATCH_TYPE = "application/murano-packages-json-patch"
SECRET_FQN = "com.alice.secret.Thing"
SECRET_NAME = "Alice Secret Thing"


@pytest.fixture
def private(make_package, upload) -> dict[str, Any]:
    body: dict[str, Any] = upload(
        make_package(SECRET_FQN, name=SECRET_NAME, tags=["alice-tag"]),
        {"categories": ["SAP"]}, token=ALICE).json()
    return body


@pytest.fixture
def public(make_package, upload) -> dict[str, Any]:
    body: dict[str, Any] = upload(make_package("com.alice.Open", name="Alice Open"),
                                  {"is_public": True, "categories": ["SAP"]},
                                  token="root:proj-a:admin").json()
    return body


def _call(api: httpx.Client, method: str, path: str, token: str) -> httpx.Response:
    if method == "PATCH":
        return api.patch(path, headers={**auth(token), "Content-Type": PATCH_TYPE},
                         content=json.dumps([{"op": "replace", "path": "/name",
                                              "value": "stolen"}]))
    return api.request(method, path, headers=auth(token))


PACKAGE_ROUTES = [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("GET", "/ui"), ("GET", "/logo"),
                  ("GET", "/supplier_logo"), ("GET", "/download")]


@pytest.mark.parametrize("method, sub", PACKAGE_ROUTES)
def test_private_package_of_another_project_is_refused(api: httpx.Client, private,
                                                       catalog_snapshot, method: str,
                                                       sub: str) -> None:
    before = catalog_snapshot()
    resp = _call(api, method, f"/v1/catalog/packages/{private['id']}{sub}", BOB)
    assert resp.status_code == 403
    assert SECRET_FQN not in resp.text and SECRET_NAME not in resp.text
    assert b"PK\x03\x04" not in resp.content and b"\x89PNG" not in resp.content
    assert catalog_snapshot() == before


@pytest.mark.parametrize("method, sub", PACKAGE_ROUTES)
def test_owner_and_admin_reach_the_private_package(api: httpx.Client, private, method: str,
                                                   sub: str) -> None:
    for token in (ADMIN, ALICE) if method != "DELETE" else (ALICE,):
        resp = _call(api, method, f"/v1/catalog/packages/{private['id']}{sub}", token)
        assert resp.status_code == 200, (token, resp.text)


@pytest.mark.parametrize("params", [
    {}, {"search": "secret"}, {"fqn": SECRET_FQN}, {"name": SECRET_NAME}, {"tag": "alice-tag"},
    {"category": "SAP"}, {"class_name": SECRET_FQN}, {"catalog": "true"},
    {"include_disabled": "true"},
])
def test_list_never_shows_another_projects_private_package(api: httpx.Client, private, public,
                                                           params: dict[str, str]) -> None:
    resp = api.get("/v1/catalog/packages", headers=auth(BOB), params=params)
    assert resp.status_code == 200
    assert SECRET_FQN not in resp.text
    mine = api.get("/v1/catalog/packages", headers=auth(ALICE), params=params).json()
    if "catalog" in params or not params or "include_disabled" in params:
        assert {p["id"] for p in mine["packages"]} == {private["id"], public["id"]}


def test_public_package_is_readable_but_not_writable_by_others(api: httpx.Client,
                                                               public, catalog_snapshot) -> None:
    base = f"/v1/catalog/packages/{public['id']}"
    for sub in ("", "/ui", "/logo", "/supplier_logo", "/download"):
        assert api.get(base + sub, headers=auth(BOB)).status_code == 200
    before = catalog_snapshot()
    assert _call(api, "PATCH", base, BOB).status_code == 403
    assert _call(api, "DELETE", base, BOB).status_code == 403
    assert catalog_snapshot() == before


def test_categories_count_and_list_only_visible_packages(api: httpx.Client, private,
                                                         public) -> None:
    def sap(token: str) -> dict[str, Any]:
        cats = api.get("/v1/catalog/categories", headers=auth(token)).json()["categories"]
        entry: dict[str, Any] = next(c for c in cats if c["name"] == "SAP")
        return entry

    assert sap(ALICE)["package_count"] == 2 and sap(ADMIN)["package_count"] == 2
    assert sap(BOB)["package_count"] == 1
    shown = api.get(f"/v1/catalog/categories/{sap(BOB)['id']}", headers=auth(BOB))
    assert [p["id"] for p in shown.json()["packages"]] == [public["id"]]
    assert SECRET_FQN not in shown.text
    admin_view = api.get(f"/v1/catalog/categories/{sap(ADMIN)['id']}").json()
    assert {p["id"] for p in admin_view["packages"]} == {public["id"], private["id"]}


def test_category_writes_are_admin_only(api: httpx.Client, catalog_snapshot) -> None:
    web = next(c for c in api.get("/v1/catalog/categories").json()["categories"]
               if c["name"] == "Web")
    before = catalog_snapshot()
    made = api.post("/v1/catalog/categories", json={"name": "Mine"}, headers=auth(BOB))
    assert made.status_code == 403 and "add_category" in made.text
    gone = api.delete(f"/v1/catalog/categories/{web['id']}", headers=auth(BOB))
    assert gone.status_code == 403 and "delete_category" in gone.text
    assert catalog_snapshot() == before


def test_upload_by_another_project_never_touches_the_owners_package(
        api: httpx.Client, private, make_package, upload) -> None:
    copy = upload(make_package(SECRET_FQN, name="Bob copy"), token=BOB).json()
    assert copy["id"] != private["id"] and copy["owner_id"] == "proj-b"
    assert api.get(f"/v1/catalog/packages/{private['id']}",
                   headers=auth(ALICE)).json() == private


@pytest.mark.parametrize("method, sub", PACKAGE_ROUTES)
def test_unknown_package_id_is_404_on_every_route(api: httpx.Client, private, catalog_snapshot,
                                                  method: str, sub: str) -> None:
    before = catalog_snapshot()
    resp = _call(api, method, f"/v1/catalog/packages/{'e' * 32}{sub}", ADMIN)
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"Package id '{'e' * 32}' not found"
    assert catalog_snapshot() == before


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_unknown_category_id_is_404(api: httpx.Client, catalog_snapshot, method: str) -> None:
    before = catalog_snapshot()
    resp = api.request(method, f"/v1/catalog/categories/{'e' * 32}")
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"Category id '{'e' * 32}' not found"
    assert catalog_snapshot() == before
