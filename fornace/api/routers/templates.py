"""Routes: environment templates, and environments created from them."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from fornace.api.body import JsonBody, require_object
from fornace.api.deps import Ctx, Db
from fornace.api.routers._common import empty
from fornace.api.schemas.templates import template_detail, template_out
from fornace.auth.policy import authorize
from fornace.db.repositories import environments, sessions, templates
from fornace.errors import InvalidInput

router = APIRouter(prefix="/templates", tags=["templates"])


def _is_public_query(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise InvalidInput(f"is_public must be true or false, not {value!r}")
    return lowered == "true"


@router.get("")
def list_templates(ctx: Ctx, db: Db, is_public: str | None = None) -> dict[str, Any]:
    authorize(ctx, "list_env_templates")
    found = templates.list_visible(db, ctx, _is_public_query(is_public))
    return {"templates": [template_out(t) for t in found]}


@router.post("")
def create_template(ctx: Ctx, db: Db, body: JsonBody) -> dict[str, Any]:
    authorize(ctx, "create_env_template")
    body = require_object(body, 'e.g. {"name": "template1", "is_public": false}')
    template = templates.create(db, ctx, body)
    out = {k: v for k, v in body.items() if k not in templates.COLUMNS}
    out.update(template_out(template))
    return out


@router.get("/{template_id}")
def show_template(template_id: str, ctx: Ctx, db: Db) -> dict[str, Any]:
    authorize(ctx, "show_env_template")
    return template_detail(templates.get_readable(db, ctx, template_id))


@router.put("/{template_id}")
def update_template(template_id: str, ctx: Ctx, db: Db, body: JsonBody) -> dict[str, Any]:
    authorize(ctx, "update_env_template")
    template = templates.get_writable(db, ctx, template_id)
    return template_out(templates.update(db, template, body))


@router.delete("/{template_id}")
def delete_template(template_id: str, ctx: Ctx, db: Db) -> Response:
    authorize(ctx, "delete_env_template")
    db.delete(templates.get_writable(db, ctx, template_id))
    db.flush()
    return empty()


@router.post("/{template_id}/create-environment")
def create_environment_from_template(template_id: str, ctx: Ctx, db: Db,
                                     body: JsonBody) -> dict[str, Any]:
    authorize(ctx, "create_environment")
    template = templates.get_readable(db, ctx, template_id)
    body = require_object(body, 'e.g. {"name": "env1"}')
    env = environments.create(db, ctx, body)
    session = sessions.open_session(db, ctx, env, check_busy=False)
    description = copy.deepcopy(session.description)
    description["Objects"]["services"] = copy.deepcopy(templates.services_of(template))
    session.description = description
    return {"session_id": session.id, "environment_id": env.id}


@router.post("/{template_id}/clone")
def clone_template(template_id: str, ctx: Ctx, db: Db, body: JsonBody) -> dict[str, Any]:
    authorize(ctx, "clone_env_template")
    source = templates.get_readable(db, ctx, template_id)
    return template_detail(templates.clone(db, ctx, source, body))
