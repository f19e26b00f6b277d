"""Categories: list (sorting, paging, strict parameters), show, create and delete."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from .catalog_helpers import ALICE, auth

URL = "/v1/catalog/categories"
SEEDED = ["Application Servers", "Big Data", "Databases", "Key-Value Storage", "Load Balancers",
          "Message Queue", "Microsoft Services", "SAP", "Web"]


def _categories(api: httpx.Client, **params: Any) -> dict[str, Any]:
    resp = api.get(URL, params=params)
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_list_has_murano_shape_and_seeded_names(api: httpx.Client) -> None:
    body = _categories(api)
    assert set(body) == {"categories"}
    assert [c["name"] for c in body["categories"]] == SEEDED
    first = body["categories"][0]
    assert set(first) == {"id", "name", "package_count", "created", "updated"}
    assert re.fullmatch(r"[0-9a-f]{32}", first["id"]) and first["package_count"] == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", first["created"])


def test_sort_keys_and_package_count(api: httpx.Client, make_package, upload) -> None:
    upload(make_package("com.example.A"), {"categories": ["Web", "SAP"]})
    upload(make_package("com.example.B"), {"categories": ["Web"]})
    body = _categories(api, sort_keys="package_count,name", sort_dir="desc")
    assert [(c["name"], c["package_count"]) for c in body["categories"][:3]] == \
        [("Web", 2), ("SAP", 1), ("Microsoft Services", 0)]
    assert [c["name"] for c in _categories(api, sort_dir="desc")["categories"]] == SEEDED[::-1]


@pytest.mark.parametrize("params", [{}, {"sort_keys": "package_count"},
                                    {"sort_keys": "created,name", "sort_dir": "desc"},
                                    {"sort_keys": "id"}])
def test_marker_pages_reach_every_category_once(api: httpx.Client, make_package, upload,
                                                params: dict[str, str]) -> None:
    upload(make_package("com.example.A"), {"categories": ["Web", "SAP"]})
    everything = [c["id"] for c in _categories(api, **params)["categories"]]
    assert len(everything) == 9
    seen: list[str] = []
    marker = None
    while True:
        body = _categories(api, limit=2, **params, **({"marker": marker} if marker else {}))
        seen += [c["id"] for c in body["categories"]]
        marker = body.get("next_marker")
        if marker is None:
            break
        assert len(body["categories"]) == 2
    assert seen == everything


@pytest.mark.parametrize("params, message", [
    ({"name": "Web"}, "Bad value passed to filter. Got name"),
    ({"sort_keys": "name,color"}, "Invalid sort key: color"),
    ({"sort_dir": "sideways"}, "Invalid sort direction: sideways"),
    ({"limit": "zero"}, "Limit param must be an integer"),
    ({"limit": "0"}, "Limit param must be positive"),
])
def test_bad_list_parameters_are_400(api: httpx.Client, params: dict[str, str],
                                     message: str) -> None:
    resp = api.get(URL, params=params)
    assert resp.status_code == 400 and message in resp.json()["error"]["message"]


def test_unknown_marker_is_404(api: httpx.Client) -> None:
    assert api.get(URL, params={"marker": "0" * 32}).status_code == 404


def test_create_show_and_delete(api: httpx.Client) -> None:
    created = api.post(URL, json={"name": "Curl Category"})
    assert created.status_code == 200
    body = created.json()
    assert set(body) == {"id", "name", "package_count", "created", "updated"}
    assert body["name"] == "Curl Category" and body["package_count"] == 0
    shown = api.get(f"{URL}/{body['id']}", headers=auth(ALICE)).json()
    assert shown == {**body, "packages": []}
    deleted = api.delete(f"{URL}/{body['id']}")
    assert deleted.status_code == 200 and deleted.content == b""
    assert api.get(f"{URL}/{body['id']}").status_code == 404
    assert api.delete(f"{URL}/{body['id']}").status_code == 404


def test_show_lists_the_packages_of_the_category(api: httpx.Client, make_package,
                                                 upload) -> None:
    pkg = upload(make_package("com.example.InWeb", name="In Web"), {"categories": ["Web"]}).json()
    web = next(c for c in _categories(api)["categories"] if c["name"] == "Web")
    shown = api.get(f"{URL}/{web['id']}").json()
    assert shown["package_count"] == 1
    assert shown["packages"] == [{"id": pkg["id"], "name": "In Web",
                                  "fully_qualified_name": "com.example.InWeb"}]


@pytest.mark.parametrize("body, status, message", [
    ({"name": "Web"}, 409, "already exist"),
    ({}, 400, "specify a name"),
    ({"name": ""}, 400, "specify a name"),
    ({"name": 42}, 400, "specify a name"),
    ({"name": "c" * 81}, 400, "80 characters maximum"),
    (["Web"], 400, "specify a name"),
    (b"{name", 400, "cannot understand JSON"),
])
def test_refused_creates_change_nothing(api: httpx.Client, catalog_snapshot, body: Any,
                                        status: int, message: str) -> None:
    before = catalog_snapshot()
    if isinstance(body, bytes):
        resp = api.post(URL, content=body, headers={"Content-Type": "application/json"})
    else:
        resp = api.post(URL, json=body)
    assert resp.status_code == status and message in resp.json()["error"]["message"]
    assert catalog_snapshot() == before


def test_category_in_use_cannot_be_deleted(api: httpx.Client, make_package, upload,
                                           catalog_snapshot) -> None:
    upload(make_package("com.example.Uses"), {"categories": ["Big Data"]}, token=ALICE)
    big_data = next(c for c in _categories(api)["categories"] if c["name"] == "Big Data")
    before = catalog_snapshot()
    resp = api.delete(f"{URL}/{big_data['id']}")
    assert resp.status_code == 403 and "assigned to the package" in resp.json()["error"]["message"]
    assert catalog_snapshot() == before


def test_show_unknown_category_is_404(api: httpx.Client) -> None:
    resp = api.get(f"{URL}/{'0' * 32}")
    assert resp.status_code == 404 and "not found" in resp.json()["error"]["message"]
