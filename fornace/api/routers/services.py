"""Routes: applications of an environment, addressed by path (Murano's TraverseHelper)."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from fornace.api.body import JsonBody
from fornace.api.deps import Ctx, Db
from fornace.api.routers._common import editing_session, empty, reading_session
from fornace.api.schemas.environments import with_status
from fornace.db.base import utcnow
from fornace.db.models import ConfigurationSession
from fornace.db.repositories import environments, sessions
from fornace.db.repositories._model import delete_node, get_node, set_node, split_path
from fornace.errors import InvalidInput

router = APIRouter(prefix="/environments/{environment_id}/services", tags=["services"])


def _draft(session: ConfigurationSession) -> tuple[dict[str, Any], dict[str, Any]]:
    description = copy.deepcopy(session.description)
    objects = description.get("Objects")
    if objects is None:
        raise InvalidInput("this session deletes the environment; its applications cannot "
                           "be changed", hint="open a new session to change applications")
    objects.setdefault("services", [])
    return description, objects


def _save(session: ConfigurationSession, description: dict[str, Any]) -> None:
    session.description = description


@router.get("")
@router.get("/{path:path}")
def show_services(environment_id: str, request: Request, ctx: Ctx, db: Db,
                  path: str = "") -> Any:
    env = environments.get(db, ctx, environment_id)
    session = reading_session(db, ctx, env, request)
    objects = sessions.description_for(db, env, session).get("Objects") or {}
    if "services" not in objects:
        return JSONResponse([])
    node = get_node(objects, "services/" + path)
    if not split_path(path):
        status, _ = environments.status_of(db, env.id)
        node = with_status(node, status)
    return JSONResponse(node)


@router.post("")
@router.post("/{path:path}")
def add_services(environment_id: str, request: Request, ctx: Ctx, db: Db, body: JsonBody,
                 path: str = "") -> Any:
    session = editing_session(db, ctx, environment_id, request)
    if not body:
        raise InvalidInput("Request body is empty: please, provide application object model",
                           reference="empty-body")
    if split_path(path):
        raise InvalidInput(f"POST adds applications to the services list only, not to "
                           f"'services/{path}'",
                           hint="POST to /environments/{id}/services, or PUT to replace a node")
    if isinstance(body, dict):
        added = [body]
    elif isinstance(body, list) and all(isinstance(item, dict) for item in body):
        added = body
    else:
        raise InvalidInput("the body must be an application object or a list of them")
    description, objects = _draft(session)
    objects["services"].extend(copy.deepcopy(added))
    _save(session, description)
    return JSONResponse(body)


@router.put("")
@router.put("/{path:path}")
def replace_services(environment_id: str, request: Request, ctx: Ctx, db: Db, body: JsonBody,
                     path: str = "") -> Any:
    session = editing_session(db, ctx, environment_id, request)
    value = [] if body is None else body
    description, objects = _draft(session)
    if split_path(path):
        set_node(objects, "services/" + path, value)
    else:
        if not isinstance(value, list):
            raise InvalidInput("PUT on the services list needs a JSON list of applications")
        objects["services"] = value
    objects.setdefault("?", {})["updated"] = str(utcnow())
    _save(session, description)
    return JSONResponse(value)


@router.delete("")
@router.delete("/{path:path}")
def delete_services(environment_id: str, request: Request, ctx: Ctx, db: Db,
                    path: str = "") -> Response:
    session = editing_session(db, ctx, environment_id, request)
    if not split_path(path):
        raise InvalidInput("name the application to delete: DELETE /services/<application id>")
    description, objects = _draft(session)
    delete_node(objects, "services/" + path)
    _save(session, description)
    return empty()
