"""The catalog's limits come from the settings: page sizes and the package size."""

from __future__ import annotations

import os

import httpx
import pytest

from .catalog_helpers import zip_bytes


@pytest.fixture
def api_app(settings_factory):  # type: ignore[no-untyped-def]
    from fornace.api.app import create_app

    return create_app(settings_factory(api_limit_default=3, api_limit_max=5,
                                       package_size_limit_mb=0.05))


def test_page_size_default_and_cap_follow_the_settings(api: httpx.Client, make_package,
                                                       upload) -> None:
    for i in range(7):
        upload(make_package(f"com.example.limit.App{i}", logo=False))
    first = api.get("/v1/catalog/packages").json()
    assert len(first["packages"]) == 3 and "next_marker" in first
    capped = api.get("/v1/catalog/packages", params={"limit": 50}).json()
    assert len(capped["packages"]) == 5 and "next_marker" in capped


def test_package_size_limit_follows_the_settings(api: httpx.Client, make_package,
                                                 catalog_snapshot) -> None:
    before = catalog_snapshot()
    big = zip_bytes({"manifest.yaml": "FullName: com.example.Big\nType: Library\n",
                     "blob.bin": os.urandom(60 * 1024)})
    resp = api.post("/v1/catalog/packages", files={"pkg": ("big.zip", big)})
    assert resp.status_code == 400
    assert resp.json()["error"]["message"] == "Uploading file is too large. The limit is 0.05 Mb"
    assert catalog_snapshot() == before
    small = make_package("com.example.Small", logo=False).read_bytes()
    assert len(small) < 0.05 * 1024 * 1024
    assert api.post("/v1/catalog/packages", files={"pkg": ("s.zip", small)}).status_code == 200
