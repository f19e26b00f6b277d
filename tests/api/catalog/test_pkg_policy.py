"""An operator's policy file changes who may do what on the catalog routes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .catalog_helpers import ALICE, auth

POLICY = """\
manage_public_package: "rule:admin_api"
download_package: "role:downloader"
get_category: "role:reader or rule:admin_api"
"""


@pytest.fixture
def api_app(settings_factory, tmp_path: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from fornace.api.app import create_app
    from fornace.auth.policy import reset_policy

    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    yield create_app(settings_factory(policy_file=policy))
    reset_policy()


@pytest.fixture
def alice_public(make_package, upload) -> str:
    pkg_id: str = upload(make_package("com.example.Pol"), {"is_public": True},
                         token="root:proj-a:admin").json()["id"]
    return pkg_id


def test_manage_public_package_decides_what_members_list_and_edit(
        api: httpx.Client, make_package, upload, alice_public: str) -> None:
    own = upload(make_package("com.example.Own"), token="bob:proj-b").json()["id"]
    listed = api.get("/v1/catalog/packages", headers=auth("bob:proj-b")).json()["packages"]
    assert [p["id"] for p in listed] == [own]  # edit mode: public ones need the rule
    catalog = api.get("/v1/catalog/packages", headers=auth("bob:proj-b"),
                      params={"catalog": "true"}).json()["packages"]
    assert {p["id"] for p in catalog} == {own, alice_public}
    resp = api.patch(f"/v1/catalog/packages/{alice_public}", headers={
        **auth(ALICE), "Content-Type": "application/murano-packages-json-patch"},
        content=b'[{"op": "replace", "path": "/name", "value": "x"}]')
    assert resp.status_code == 403 and "manage_public_package" in resp.text
    assert api.delete(f"/v1/catalog/packages/{alice_public}",
                      headers=auth(ALICE)).status_code == 403


def test_download_package_rule(api: httpx.Client, alice_public: str) -> None:
    url = f"/v1/catalog/packages/{alice_public}/download"
    denied = api.get(url, headers=auth(ALICE))
    assert denied.status_code == 403 and "download_package" in denied.text
    assert api.get(url, headers=auth("alice:proj-a:member,downloader")).status_code == 200


def test_get_category_rule(api: httpx.Client) -> None:
    assert api.get("/v1/catalog/categories", headers=auth(ALICE)).status_code == 403
    assert api.get("/v1/catalog/categories",
                   headers=auth("alice:proj-a:reader")).status_code == 200
