"""Routes: applications of an environment template (owner project only)."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter
from starlette.responses import JSONResponse

from fornace.api.body import JsonBody
from fornace.api.deps import Ctx, Db
from fornace.auth.policy import authorize
from fornace.db.repositories import templates
from fornace.db.repositories._model import delete_node, get_node, set_node
from fornace.errors import InvalidInput

router = APIRouter(prefix="/templates/{template_id}/services", tags=["template services"])


@router.get("")
def list_template_services(template_id: str, ctx: Ctx, db: Db) -> Any:
    return JSONResponse(templates.services_of(templates.get_owned(db, ctx, template_id)))


@router.get("/{path:path}")
def show_template_service(template_id: str, path: str, ctx: Ctx, db: Db) -> Any:
    template = templates.get_owned(db, ctx, template_id)
    return JSONResponse(get_node(templates.services_of(template), path))


@router.post("")
def add_template_services(template_id: str, ctx: Ctx, db: Db, body: JsonBody) -> Any:
    template = templates.get_owned(db, ctx, template_id)
    if isinstance(body, dict) and body:
        added = [body]
    elif isinstance(body, list) and body and all(isinstance(i, dict) for i in body):
        added = body
    else:
        raise InvalidInput("the body must be an application object or a non-empty list of them")
    services = copy.deepcopy(templates.services_of(template)) + copy.deepcopy(added)
    templates.save_services(template, services)
    return JSONResponse(body)


@router.put("/{path:path}")
def replace_template_service(template_id: str, path: str, ctx: Ctx, db: Db,
                             body: JsonBody) -> Any:
    authorize(ctx, "update_service_env_template")
    template = templates.get_owned(db, ctx, template_id)
    if not isinstance(body, dict) or not body:
        raise InvalidInput("the body must be the application object that replaces the old one")
    services = copy.deepcopy(templates.services_of(template))
    set_node(services, path, body)
    templates.save_services(template, services)
    return JSONResponse(body)


@router.delete("/{path:path}")
def delete_template_service(template_id: str, path: str, ctx: Ctx, db: Db) -> Any:
    template = templates.get_owned(db, ctx, template_id)
    services = copy.deepcopy(templates.services_of(template))
    delete_node(services, path)
    templates.save_services(template, services)
    return JSONResponse(template.description)
