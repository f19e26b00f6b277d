from __future__ import annotations

import httpx


def test_versions_document_needs_no_token(api: httpx.Client) -> None:
    resp = api.get("/", headers={"X-Auth-Token": ""})
    assert resp.status_code == 300
    body = resp.json()
    assert body["versions"][0]["id"] == "v1.0"
    assert body["versions"][0]["links"][0]["href"].endswith("/v1/")
