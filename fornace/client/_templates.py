"""Environment templates and their applications (``/v1/templates``)."""

from __future__ import annotations

from typing import Any

from fornace.client._http import Transport


class TemplatesAPI:
    _t: Transport

    def list_templates(self, *, is_public: bool | None = None) -> list[dict[str, Any]]:
        params = {} if is_public is None else {"is_public": str(is_public).lower()}
        return list(self._t.json("GET", "/templates", params=params)["templates"])

    def create_template(self, name: str, *, is_public: bool = False,
                        description: dict[str, Any] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name, "is_public": is_public}
        if description is not None:
            body["description"] = description
        return dict(self._t.json("POST", "/templates", json=body))

    def get_template(self, template_id: str) -> dict[str, Any]:
        return dict(self._t.json("GET", f"/templates/{template_id}"))

    def update_template(self, template_id: str, name: str) -> dict[str, Any]:
        return dict(self._t.json("PUT", f"/templates/{template_id}", json={"name": name}))

    def delete_template(self, template_id: str) -> None:
        self._t.request("DELETE", f"/templates/{template_id}")

    def create_environment_from_template(self, template_id: str, name: str, *,
                                         region: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name}
        if region:
            body["region"] = region
        return dict(self._t.json("POST", f"/templates/{template_id}/create-environment",
                                 json=body))

    def clone_template(self, template_id: str, name: str) -> dict[str, Any]:
        return dict(self._t.json("POST", f"/templates/{template_id}/clone", json={"name": name}))

    def list_template_apps(self, template_id: str) -> list[dict[str, Any]]:
        return list(self._t.json("GET", f"/templates/{template_id}/services"))

    def get_template_app(self, template_id: str, path: str) -> Any:
        return self._t.json("GET", f"/templates/{template_id}/services/{path.strip('/')}")

    def add_template_app(self, template_id: str, app: dict[str, Any]) -> Any:
        return self._t.json("POST", f"/templates/{template_id}/services", json=app)

    def replace_template_app(self, template_id: str, path: str, app: dict[str, Any]) -> Any:
        return self._t.json("PUT", f"/templates/{template_id}/services/{path.strip('/')}",
                            json=app)

    def delete_template_app(self, template_id: str, path: str) -> None:
        self._t.request("DELETE", f"/templates/{template_id}/services/{path.strip('/')}")
