"""Packages and categories (``/v1/catalog``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fornace.client._http import Transport

PACKAGE_PATCH_TYPE = "application/murano-packages-json-patch"
PAGE_SIZE = 100


class CatalogAPI:
    _t: Transport

    def iter_packages(self, *, limit: int | None = None,
                      **filters: Any) -> Iterator[dict[str, Any]]:
        """Packages matching ``filters`` (Murano's query names), following next_marker."""
        params: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}
        seen = 0
        while True:
            page_size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - seen)
            if page_size <= 0:
                return
            answer = self._t.json("GET", "/catalog/packages",
                                  params={**params, "limit": page_size})
            for package in answer.get("packages", []):
                yield package
                seen += 1
            marker = answer.get("next_marker")
            if not marker or not answer.get("packages"):
                return
            params["marker"] = marker

    def list_packages(self, *, limit: int | None = None, **filters: Any) -> list[dict[str, Any]]:
        return list(self.iter_packages(limit=limit, **filters))

    def get_package(self, package_id: str) -> dict[str, Any]:
        return dict(self._t.json("GET", f"/catalog/packages/{package_id}"))

    def upload_package(self, archive: bytes, *, filename: str = "package.zip",
                       categories: list[str] | None = None, tags: list[str] | None = None,
                       is_public: bool = False, enabled: bool = True) -> dict[str, Any]:
        metadata: dict[str, Any] = {"is_public": is_public, "enabled": enabled}
        if categories:
            metadata["categories"] = list(categories)
        if tags:
            metadata["tags"] = list(tags)
        files = {"__metadata__": (None, json.dumps(metadata).encode(), "application/json"),
                 filename: (filename, archive, "application/octet-stream")}
        return dict(self._t.json("POST", "/catalog/packages", files=files))

    def update_package(self, package_id: str, patch: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(self._t.json("PATCH", f"/catalog/packages/{package_id}",
                                 content=json.dumps(patch).encode(),
                                 headers={"Content-Type": PACKAGE_PATCH_TYPE}))

    def delete_package(self, package_id: str) -> None:
        self._t.request("DELETE", f"/catalog/packages/{package_id}")

    def download_package(self, package_id: str) -> bytes:
        return self._t.request("GET", f"/catalog/packages/{package_id}/download").content

    def get_package_logo(self, package_id: str) -> bytes:
        return self._t.request("GET", f"/catalog/packages/{package_id}/logo").content

    def get_package_supplier_logo(self, package_id: str) -> bytes:
        return self._t.request("GET", f"/catalog/packages/{package_id}/supplier_logo").content

    def get_package_ui(self, package_id: str) -> str:
        return self._t.request("GET", f"/catalog/packages/{package_id}/ui").text

    # categories
    def list_categories(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {}
        while True:
            answer = self._t.json("GET", "/catalog/categories", params=params)
            found.extend(answer.get("categories", []))
            marker = answer.get("next_marker")
            if not marker or not answer.get("categories"):
                return found
            params["marker"] = marker

    def get_category(self, category_id: str) -> dict[str, Any]:
        return dict(self._t.json("GET", f"/catalog/categories/{category_id}"))

    def create_category(self, name: str) -> dict[str, Any]:
        return dict(self._t.json("POST", "/catalog/categories", json={"name": name}))

    def delete_category(self, category_id: str) -> None:
        self._t.request("DELETE", f"/catalog/categories/{category_id}")
