"""Builders and snapshots for the environment API tests (imported by conftest and tests)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import Engine, select

from fornace.db import models

ALICE = "alice:proj-a"          # member of project A
AMY = "amy:proj-a"              # another member of project A
BOB = "bob:proj-b"              # member of project B
ADMIN = "root:proj-admin:admin"  # an admin of a third project

SNAPSHOT_TABLES = (models.Environment, models.ConfigurationSession, models.Task,
                   models.Status, models.EnvironmentTemplate)


def auth(token: str, **headers: str) -> dict[str, str]:
    return {"X-Auth-Token": token, **headers}


def ok(resp: httpx.Response) -> Any:
    assert resp.status_code == 200, (resp.status_code, resp.text)
    return resp.json() if resp.content else None


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables this API writes, in a stable order."""
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for model in SNAPSHOT_TABLES:
            table = model.__table__
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            out[table.name] = [dict(r) for r in rows]
    return out


class EnvApi:
    """Short verbs over the HTTP API, each checking for 200."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def create_env(self, name: str, token: str = ALICE, **extra: Any) -> dict[str, Any]:
        return ok(self.client.post("/v1/environments", json={"name": name, **extra},
                                   headers=auth(token)))

    def configure(self, env_id: str, token: str = ALICE) -> str:
        return ok(self.client.post(f"/v1/environments/{env_id}/configure",
                                   headers=auth(token)))["id"]

    def add_app(self, env_id: str, session_id: str, app: dict[str, Any],
                token: str = ALICE) -> Any:
        return ok(self.client.post(f"/v1/environments/{env_id}/services", json=app,
                                   headers=auth(token, **{"X-Configuration-Session": session_id})))

    def deploy(self, env_id: str, session_id: str, token: str = ALICE) -> httpx.Response:
        return self.client.post(f"/v1/environments/{env_id}/sessions/{session_id}/deploy",
                                headers=auth(token))

    def show(self, env_id: str, token: str = ALICE, **headers: str) -> dict[str, Any]:
        return ok(self.client.get(f"/v1/environments/{env_id}", headers=auth(token, **headers)))

    def deployments(self, env_id: str, token: str = ALICE) -> list[dict[str, Any]]:
        return ok(self.client.get(f"/v1/environments/{env_id}/deployments",
                                  headers=auth(token)))["deployments"]


def app_object(obj_id: str, name: str = "app", **props: Any) -> dict[str, Any]:
    return {"?": {"id": obj_id, "type": "com.example.App"}, "name": name,
            "instance": {"?": {"id": obj_id + "-vm", "type": "io.murano.resources.Instance"},
                         "name": "vm1", "flavor": "m1.small"}, **props}


def engine_result(description_objects: dict[str, Any] | None, *, exception: bool = False,
                  objects_copy: Any = "same", result: Any = None) -> dict[str, Any]:
    """A result shaped like the engine's (§12.2): services called applications."""
    objects = None
    if description_objects is not None:
        objects = dict(description_objects)
        objects["applications"] = objects.pop("services", [])
    action: dict[str, Any] = {"isException": exception, "result": result}
    if exception:
        action["result"] = {"message": "boom", "details": "Traceback: ..."}
    return {"model": {"Objects": objects,
                      "ObjectsCopy": objects if objects_copy == "same" else objects_copy,
                      "Attributes": [], "SystemData": {"TrustId": "t-1", "Packages": {}},
                      "project_id": "proj-a", "user_id": "alice"},
            "action": action}
