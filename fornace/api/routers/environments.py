"""Routes: environments (list, create, show, rename, delete/abandon, lastStatus, model)."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from fornace.api import model_patch
from fornace.api.body import EnvModelPatch, JsonBody, require_object
from fornace.api.deps import Ctx, Db, Publisher
from fornace.api.routers._common import (
    editing_session,
    empty,
    flag,
    objects_of,
    reading_session,
)
from fornace.api.schemas.deployments import report_out
from fornace.api.schemas.environments import (
    environment_detail,
    environment_list_item,
    environment_out,
)
from fornace.api.submit import publish
from fornace.auth.policy import authorize
from fornace.db.repositories import environments, sessions, tasks
from fornace.db.repositories._model import get_node

router = APIRouter(prefix="/environments", tags=["environments"])


@router.get("")
def list_environments(ctx: Ctx, db: Db, all_tenants: str | None = None,
                      tenant: str | None = None) -> JSONResponse:
    authorize(ctx, "list_environments")
    every = flag(all_tenants)
    if every or tenant is not None:
        authorize(ctx, "list_environments_all_tenants")
    rows = environments.list_with_status(db, ctx, all_tenants=every, tenant=tenant)
    return JSONResponse({"environments": [environment_list_item(row) for row in rows]})


@router.post("")
def create_environment(ctx: Ctx, db: Db, body: JsonBody) -> dict[str, Any]:
    authorize(ctx, "create_environment")
    body = require_object(body, 'e.g. {"name": "env1"}')
    env = environments.create(db, ctx, body)
    out = {k: v for k, v in body.items() if k != "?"}
    out.update(environment_out(env))
    return out


@router.get("/{environment_id}")
def show_environment(environment_id: str, request: Request, ctx: Ctx, db: Db) -> dict[str, Any]:
    authorize(ctx, "show_environment")
    env = environments.get(db, ctx, environment_id)
    session = reading_session(db, ctx, env, request)
    status, acquired = environments.status_of(db, env.id)
    objects = objects_of(sessions.description_for(db, env, session))
    services = None if objects is None else objects.get("services", [])
    return environment_detail(env, status, acquired, services)


@router.put("/{environment_id}")
def rename_environment(environment_id: str, ctx: Ctx, db: Db, body: JsonBody) -> dict[str, Any]:
    authorize(ctx, "update_environment")
    env = environments.get(db, ctx, environment_id)
    return environment_out(environments.rename(db, env, body))


@router.delete("/{environment_id}")
def delete_environment(environment_id: str, ctx: Ctx, db: Db, publisher: Publisher,
                       abandon: str | None = None) -> Response:
    authorize(ctx, "delete_environment")
    env = environments.get(db, ctx, environment_id)
    if flag(abandon):
        environments.remove(db, env.id)
        return empty()
    session = sessions.open_session(db, ctx, env)
    description = copy.deepcopy(session.description)
    description["Objects"] = None
    session.description = description
    db.flush()
    publish(db, publisher, sessions.deploy(db, ctx, env, session))
    return empty()


@router.get("/{environment_id}/lastStatus")
def last_status(environment_id: str, request: Request, ctx: Ctx, db: Db) -> dict[str, Any]:
    env = environments.get(db, ctx, environment_id)
    session = reading_session(db, ctx, env, request)
    objects = objects_of(sessions.description_for(db, env, session)) or {}
    found = tasks.last_statuses(db, env.id, objects.get("services") or [])
    return {"lastStatuses": {k: report_out(v) if v is not None else None
                             for k, v in found.items()}}


@router.get("/{environment_id}/model/{path:path}")
def show_model(environment_id: str, path: str, request: Request, ctx: Ctx, db: Db) -> Any:
    authorize(ctx, "show_environment")
    env = environments.get(db, ctx, environment_id)
    session = reading_session(db, ctx, env, request)
    return JSONResponse(get_node(objects_of(sessions.description_for(db, env, session)), path))


@router.patch("/{environment_id}/model/")
def update_model(environment_id: str, request: Request, ctx: Ctx, db: Db,
                 body: EnvModelPatch) -> Any:
    changes = model_patch.check(body)
    authorize(ctx, "update_environment")
    environments.get(db, ctx, environment_id)
    session = editing_session(db, ctx, environment_id, request)
    description = copy.deepcopy(session.description)
    description["Objects"] = model_patch.apply(description.get("Objects"), changes)
    session.description = description
    return JSONResponse(description["Objects"])
