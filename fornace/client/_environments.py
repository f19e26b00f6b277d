"""Environments, sessions, services, the object model, deployments and actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fornace.client._http import Transport

MODEL_PATCH_TYPE = "application/env-model-json-patch"


def _session_header(session_id: str | None) -> dict[str, str] | None:
    return {"X-Configuration-Session": session_id} if session_id else None


def _sub(path: str | None) -> str:
    path = (path or "").strip("/")
    return "/" + quote(path, safe="/") if path else ""


class EnvironmentsAPI:
    _t: Transport

    # environments
    def list_environments(self, *, all_tenants: bool = False,
                          tenant: str | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"all_tenants": str(all_tenants)}
        if tenant:
            params["tenant"] = tenant
        return list(self._t.json("GET", "/environments", params=params)["environments"])

    def create_environment(self, name: str, *, region: str | None = None,
                           default_networks: dict[str, Any] | None = None,
                           **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name, **extra}
        if region:
            body["region"] = region
        if default_networks is not None:
            body["defaultNetworks"] = default_networks
        return dict(self._t.json("POST", "/environments", json=body))

    def get_environment(self, environment_id: str, *,
                        session_id: str | None = None) -> dict[str, Any]:
        return dict(self._t.json("GET", f"/environments/{environment_id}",
                                 headers=_session_header(session_id)))

    def rename_environment(self, environment_id: str, name: str) -> dict[str, Any]:
        return dict(self._t.json("PUT", f"/environments/{environment_id}", json={"name": name}))

    def delete_environment(self, environment_id: str, *, abandon: bool = False) -> None:
        self._t.request("DELETE", f"/environments/{environment_id}",
                        params={"abandon": str(abandon)})

    def last_status(self, environment_id: str) -> dict[str, Any]:
        return dict(self._t.json("GET", f"/environments/{environment_id}/lastStatus"))

    def get_model(self, environment_id: str, path: str = "", *,
                  session_id: str | None = None) -> Any:
        return self._t.json("GET", f"/environments/{environment_id}/model{_sub(path) or '/'}",
                            headers=_session_header(session_id))

    def update_model(self, environment_id: str, patch: list[dict[str, Any]],
                     session_id: str) -> Any:
        import json

        headers = {"X-Configuration-Session": session_id, "Content-Type": MODEL_PATCH_TYPE}
        return self._t.json("PATCH", f"/environments/{environment_id}/model/",
                            content=json.dumps(patch).encode(), headers=headers)

    # sessions
    def configure_environment(self, environment_id: str) -> dict[str, Any]:
        return dict(self._t.json("POST", f"/environments/{environment_id}/configure"))

    def get_session(self, environment_id: str, session_id: str) -> dict[str, Any]:
        return dict(self._t.json("GET", f"/environments/{environment_id}/sessions/{session_id}"))

    def delete_session(self, environment_id: str, session_id: str) -> None:
        self._t.request("DELETE", f"/environments/{environment_id}/sessions/{session_id}")

    def deploy_session(self, environment_id: str, session_id: str) -> None:
        self._t.request("POST", f"/environments/{environment_id}/sessions/{session_id}/deploy")

    # services (applications)
    def list_services(self, environment_id: str, path: str = "", *,
                      session_id: str | None = None) -> Any:
        return self._t.json("GET", f"/environments/{environment_id}/services{_sub(path)}",
                            headers=_session_header(session_id))

    def add_service(self, environment_id: str, data: Any, session_id: str,
                    path: str = "") -> Any:
        return self._t.json("POST", f"/environments/{environment_id}/services{_sub(path)}",
                            json=data, headers=_session_header(session_id))

    def replace_service(self, environment_id: str, data: Any, session_id: str,
                        path: str = "") -> Any:
        return self._t.json("PUT", f"/environments/{environment_id}/services{_sub(path)}",
                            json=data, headers=_session_header(session_id))

    def delete_service(self, environment_id: str, path: str, session_id: str) -> None:
        self._t.request("DELETE", f"/environments/{environment_id}/services{_sub(path)}",
                        headers=_session_header(session_id))

    # deployments and reports
    def list_deployments(self, environment_id: str | None = None) -> list[dict[str, Any]]:
        path = f"/environments/{environment_id}/deployments" if environment_id \
            else "/deployments"
        return list(self._t.json("GET", path)["deployments"])

    def list_reports(self, environment_id: str, deployment_id: str, *,
                     service_ids: list[str] | None = None) -> list[dict[str, Any]]:
        params = [("service_id", s) for s in service_ids or []]
        return list(self._t.json(
            "GET", f"/environments/{environment_id}/deployments/{deployment_id}",
            params=params)["reports"])

    # actions
    def call_action(self, environment_id: str, action_id: str,
                    arguments: dict[str, Any] | None = None) -> str:
        answer = self._t.json("POST", f"/environments/{environment_id}/actions/{action_id}",
                              json=arguments or {})
        return str(answer["task_id"])

    def get_action_result(self, environment_id: str, task_id: str) -> Any:
        return self._t.json("GET", f"/environments/{environment_id}/actions/{task_id}")

    def call_static_action(self, class_name: str, method_name: str, *,
                           arguments: dict[str, Any] | None = None,
                           package_name: str | None = None,
                           class_version: str | None = None) -> Any:
        body: dict[str, Any] = {"className": class_name, "methodName": method_name,
                                "parameters": arguments or {}}
        if package_name:
            body["packageName"] = package_name
        if class_version:
            body["classVersion"] = class_version
        return self._t.json("POST", "/actions", json=body)

    def get_schema(self, class_name: str, method_names: list[str] | None = None, *,
                   package_name: str | None = None,
                   class_version: str | None = None) -> dict[str, Any]:
        path = f"/schemas/{class_name}"
        if method_names:
            path += "/" + ",".join(method_names)
        params: dict[str, str] = {}
        if package_name:
            params["packageName"] = package_name
        if class_version:
            params["classVersion"] = class_version
        return dict(self._t.json("GET", path, params=params))

    # statistics
    def request_statistics(self) -> Any:
        return self._t.json("GET", "/stats")

    def instance_statistics(self, environment_id: str, instance_id: str | None = None, *,
                            aggregated: bool = False) -> Any:
        base = f"/environments/{environment_id}/instance-statistics"
        if aggregated:
            return self._t.json("GET", f"{base}/aggregated")
        return self._t.json("GET", f"{base}/raw" + (f"/{instance_id}" if instance_id else ""))
