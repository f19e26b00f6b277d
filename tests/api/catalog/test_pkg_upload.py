"""Upload, show, download, UI and logos of packages; versions and conflicts."""

from __future__ import annotations

import dataclasses
import json
import re

import httpx
import pytest

from fornace.testing.packages import DEFAULT_UI, tiny_png

from .catalog_helpers import ALICE, BOB, auth

MURANO_KEYS = {"id", "fully_qualified_name", "name", "type", "description", "author",
               "supplier", "tags", "categories", "class_definitions", "is_public", "enabled",
               "owner_id", "created", "updated"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def test_upload_returns_murano_package_dict_plus_version(api: httpx.Client, make_package,
                                                         upload) -> None:
    path = make_package("com.example.Web", version="1.2.0", name="Web App",
                        classes=["com.example.Web", "com.example.web.Helper"],
                        tags=["HTTP", "Server"])
    body = upload(path, {"categories": ["Web"], "tags": ["Extra", "HTTP"]},
                  token=ALICE).json()
    assert set(body) == MURANO_KEYS | {"version"}
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    assert body["fully_qualified_name"] == "com.example.Web"
    assert body["name"] == "Web App" and body["version"] == "1.2.0"
    assert body["type"] == "Application" and body["author"] == "Fornace tests"
    assert body["description"] == "Package com.example.Web"
    assert body["tags"] == ["Extra", "HTTP", "Server"]  # manifest tags merged with form tags
    assert body["categories"] == ["Web"]
    assert body["class_definitions"] == ["com.example.Web", "com.example.web.Helper"]
    assert body["is_public"] is False and body["enabled"] is True
    assert body["owner_id"] == "proj-a" and body["supplier"] == {}
    assert TIMESTAMP.match(body["created"]) and TIMESTAMP.match(body["updated"])
    assert api.get(f"/v1/catalog/packages/{body['id']}", headers=auth(ALICE)).json() == body


def test_manifest_wins_over_form_name_and_description(make_package, upload) -> None:
    body = upload(make_package("com.example.Named", name="From Manifest"),
                  {"name": "From Form", "description": "form text", "enabled": False}).json()
    assert body["name"] == "From Manifest"
    assert body["description"] == "Package com.example.Named"
    assert body["enabled"] is False  # enabled, is_public, categories come from the form


def test_download_ui_and_logo_return_what_was_uploaded(api: httpx.Client, make_package,
                                                       upload) -> None:
    logo = tiny_png(8, 8, (1, 2, 3))
    path = make_package("com.example.Files", logo=logo)
    pkg_id = upload(path).json()["id"]

    download = api.get(f"/v1/catalog/packages/{pkg_id}/download")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.content == path.read_bytes()

    ui = api.get(f"/v1/catalog/packages/{pkg_id}/ui")
    assert ui.status_code == 200 and ui.headers["content-type"].startswith("text/plain")
    assert ui.text == DEFAULT_UI.format(fqn="com.example.Files")

    got = api.get(f"/v1/catalog/packages/{pkg_id}/logo")
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.content == logo


def test_package_without_ui_and_logos_gives_empty_bodies(api: httpx.Client, make_package,
                                                         upload) -> None:
    pkg_id = upload(make_package("com.example.Bare", ui=False, logo=False)).json()["id"]
    for sub, media in (("ui", "text/plain"), ("logo", "application/octet-stream"),
                       ("supplier_logo", "application/octet-stream")):
        resp = api.get(f"/v1/catalog/packages/{pkg_id}/{sub}")
        assert resp.status_code == 200 and resp.content == b""
        assert resp.headers["content-type"].startswith(media)


def test_supplier_logo_is_stored_from_the_loaded_package(api: httpx.Client, make_package,
                                                         upload, monkeypatch) -> None:
    from fornace.api.routers import packages as router

    supplier_logo = tiny_png(2, 2, (9, 9, 9))
    real = router.load_package
    monkeypatch.setattr(router, "load_package", lambda data, **kw: dataclasses.replace(
        real(data, **kw), supplier_logo=supplier_logo))
    pkg_id = upload(make_package("com.example.Supplied")).json()["id"]
    assert api.get(f"/v1/catalog/packages/{pkg_id}/supplier_logo").content == supplier_logo


@pytest.mark.parametrize("sub", ["ui", "logo", "supplier_logo", "download"])
def test_binary_routes_refuse_accept_json_with_406(api: httpx.Client, make_package, upload,
                                                   sub: str) -> None:
    pkg_id = upload(make_package("com.example.Accept")).json()["id"]
    resp = api.get(f"/v1/catalog/packages/{pkg_id}/{sub}",
                   headers={"Accept": "application/json"})
    assert resp.status_code == 406
    assert "only available as" in resp.json()["error"]["message"]
    assert api.get(f"/v1/catalog/packages/{pkg_id}/{sub}",
                   headers={"Accept": "application/json, */*"}).status_code == 200


def test_show_unknown_package_is_404(api: httpx.Client) -> None:
    resp = api.get("/v1/catalog/packages/" + "0" * 32)
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"Package id '{'0' * 32}' not found"


def test_versions_of_one_fqn_live_side_by_side(api: httpx.Client, make_package,
                                               upload) -> None:
    first = upload(make_package("com.example.Multi", version="1.0.0")).json()
    second = upload(make_package("com.example.Multi", version="2.0.0")).json()
    assert first["id"] != second["id"]
    listed = api.get("/v1/catalog/packages", params={"fqn": "com.example.Multi"}).json()
    assert sorted(p["version"] for p in listed["packages"]) == ["1.0.0", "2.0.0"]
    # Both versions declare the same class: no clash inside one FQN.
    assert first["class_definitions"] == second["class_definitions"] == ["com.example.Multi"]


def test_same_fqn_and_version_twice_in_a_project_is_409(make_package, upload) -> None:
    upload(make_package("com.example.Dup", version="1.0.0"), token=ALICE)
    resp = upload(make_package("com.example.Dup", version="1.0.0"), token=ALICE, expect=409)
    assert "already registered" in resp.json()["error"]["message"]
    # Another project may hold its own private copy.
    upload(make_package("com.example.Dup", version="1.0.0"), token=BOB)


def test_exists_action_update_flow_of_muranoclient(api: httpx.Client, make_package,
                                                   upload) -> None:
    """On 409 muranoclient lists ?fqn=..&version=<manifest Version>&owned=True, deletes the
    one hit and uploads again; other versions of the FQN must not get in the way."""
    upload(make_package("com.example.Flow", version="2.0"), token=ALICE)
    old = upload(make_package("com.example.Flow", version="1.0"), token=ALICE).json()
    upload(make_package("com.example.Flow", version="1.0"), token=ALICE, expect=409)
    found = api.get("/v1/catalog/packages", headers=auth(ALICE), params={
        "fqn": "com.example.Flow", "version": "1.0", "owned": "True"}).json()["packages"]
    assert [p["id"] for p in found] == [old["id"]]
    assert api.delete(f"/v1/catalog/packages/{old['id']}", headers=auth(ALICE)).status_code == 200
    new = upload(make_package("com.example.Flow", version="1.0"), token=ALICE).json()
    assert new["id"] != old["id"] and new["version"] == "1.0.0"


def test_version_is_stored_as_semver_and_filters_by_any_spelling(api: httpx.Client,
                                                                 make_package, upload) -> None:
    plain = upload(make_package("com.example.Ver")).json()
    assert plain["version"] == "0.0.0"
    assert upload(make_package("com.example.Ver", version="1.2")).json()["version"] == "1.2.0"
    upload(make_package("com.example.Ver", version="1.2.0"), expect=409)
    for spelling, expected in (("0", "0.0.0"), ("1.2", "1.2.0"), ("1.2.0", "1.2.0"),
                               ("7", None)):
        found = api.get("/v1/catalog/packages", params={"fqn": "com.example.Ver",
                                                        "version": spelling}).json()
        assert [p["version"] for p in found["packages"]] == ([expected] if expected else [])


def test_class_of_another_fqn_in_the_same_project_is_409(make_package, upload) -> None:
    upload(make_package("com.example.One", classes=["com.example.Shared"]), token=ALICE)
    resp = upload(make_package("com.example.Two", classes=["com.example.Shared"]),
                  token=ALICE, expect=409)
    assert "com.example.Shared" in resp.json()["error"]["message"]
    # A different project has its own class scope.
    upload(make_package("com.example.Two", classes=["com.example.Shared"]), token=BOB)


def test_public_upload_clashes_with_public_classes_and_public_fqn_version(
        make_package, upload) -> None:
    upload(make_package("com.example.Pub", version="1.0.0"), {"is_public": True})
    same = upload(make_package("com.example.Pub", version="1.0.0"), {"is_public": True},
                  token="other:proj-x:admin", expect=409)
    assert "already made public" in same.json()["error"]["message"]
    # Another version of the same FQN may be public too.
    upload(make_package("com.example.Pub", version="1.1.0"), {"is_public": True},
           token="other:proj-x:admin")
    clash = upload(make_package("com.example.Other", classes=["com.example.Pub"]),
                   {"is_public": True}, token="other:proj-y:admin", expect=409)
    assert "com.example.Pub" in clash.json()["error"]["message"]
    # Privately, another project may still use the class name.
    upload(make_package("com.example.Other", classes=["com.example.Pub"]), token=BOB)


def test_public_upload_needs_the_admin_role(make_package, upload) -> None:
    resp = upload(make_package("com.example.NotYet"), {"is_public": True}, token=ALICE,
                  expect=403)
    assert "publicize_package" in resp.json()["error"]["message"]
    body = upload(make_package("com.example.NotYet"), {"is_public": True},
                  token="root:proj-a:admin").json()
    assert body["is_public"] is True and body["owner_id"] == "proj-a"


def test_requirements_format_and_version_are_stored(make_package, upload,
                                                    clean_database: str) -> None:
    from sqlalchemy import create_engine, text

    path = make_package("com.example.Req", version="3.1.4",
                        manifest={"Require": {"io.murano": None, "com.example.Lib": ">=1.0"}})
    pkg_id = upload(path).json()["id"]
    engine = create_engine(clean_database.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        row = conn.execute(text("SELECT format, version, requirements FROM package "
                                "WHERE id = :id"), {"id": pkg_id}).one()
    engine.dispose()
    requirements = row.requirements if isinstance(row.requirements, dict) else \
        json.loads(row.requirements)
    assert row.format == "MuranoPL/1.3" and row.version == "3.1.4"
    assert requirements == {"io.murano": "", "com.example.Lib": ">=1.0"}


def test_delete_package_removes_it_and_its_tags_stay_global(api: httpx.Client, make_package,
                                                            upload) -> None:
    pkg_id = upload(make_package("com.example.Gone", tags=["keep-me"])).json()["id"]
    resp = api.delete(f"/v1/catalog/packages/{pkg_id}")
    assert resp.status_code == 200 and resp.content == b""
    assert api.get(f"/v1/catalog/packages/{pkg_id}").status_code == 404
    assert api.delete(f"/v1/catalog/packages/{pkg_id}").status_code == 404
    assert api.get("/v1/catalog/packages", params={"tag": "keep-me"}).json()["packages"] == []


def test_delete_public_package_by_owner_member(api: httpx.Client, make_package, upload) -> None:
    pkg_id = upload(make_package("com.example.PubDel"), {"is_public": True},
                    token="root:proj-a:admin").json()["id"]
    assert api.delete(f"/v1/catalog/packages/{pkg_id}", headers=auth(BOB)).status_code == 403
    assert api.delete(f"/v1/catalog/packages/{pkg_id}", headers=auth(ALICE)).status_code == 200
