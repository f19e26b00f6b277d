"""Routes: POST /actions, a static method run synchronously by an engine."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import JSONResponse

from fornace.api.body import JsonBody, require_object
from fornace.api.deps import AppSettings, Ctx, Publisher
from fornace.auth.policy import authorize
from fornace.db.base import new_id
from fornace.errors import InvalidInput

router = APIRouter(tags=["static actions"])


@router.post("/actions")
def call_static_action(ctx: Ctx, publisher: Publisher, settings: AppSettings,
                       body: JsonBody) -> Any:
    authorize(ctx, "execute_action")
    body = require_object(body, '{"className": ..., "methodName": ..., "parameters": {...}}')
    for key in ("className", "methodName"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise InvalidInput(f"Argument '{key}' must be specified", reference="missing-argument")
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise InvalidInput("'parameters' must be a JSON object of name: value")
    task = {"id": new_id(), "token": ctx.token, "project_id": ctx.project_id,
            "user_id": ctx.user_id,
            "action": {"method": body["methodName"], "args": parameters,
                       "class_name": body["className"], "pkg_name": body.get("packageName"),
                       "class_version": body.get("classVersion") or "=0"}}
    return JSONResponse(publisher.call_static_action(task, settings.rpc_timeout))
