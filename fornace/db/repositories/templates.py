"""Environment templates: visibility, create, update, clone and their applications."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fornace.auth.context import RequestContext
from fornace.db.base import new_id, utcnow
from fornace.db.models import EnvironmentTemplate
from fornace.db.repositories._names import checked_name
from fornace.errors import Conflict, Forbidden, InvalidInput, NotFound

COLUMNS = ("name", "is_public", "description_text")
DUPLICATE = "Environment template with specified name already exists"


def visible(ctx: RequestContext, is_public: bool | None) -> Any:
    query = select(EnvironmentTemplate).order_by(EnvironmentTemplate.created,
                                                 EnvironmentTemplate.id)
    if is_public is True:
        return query.where(EnvironmentTemplate.is_public.is_(True))
    if is_public is False:
        return query.where(EnvironmentTemplate.is_public.is_(False),
                           EnvironmentTemplate.tenant_id == ctx.project_id)
    return query.where(or_(EnvironmentTemplate.is_public.is_(True),
                           EnvironmentTemplate.tenant_id == ctx.project_id))


def list_visible(db: Session, ctx: RequestContext,
                 is_public: bool | None) -> Sequence[EnvironmentTemplate]:
    return db.scalars(visible(ctx, is_public)).all()


def _get(db: Session, template_id: str) -> EnvironmentTemplate:
    template = db.get(EnvironmentTemplate, template_id)
    if template is None:
        raise NotFound(f"Environment Template with id {template_id} not found",
                       reference="template-not-found")
    return template


def _forbidden(what: str) -> Forbidden:
    return Forbidden(f"User is not authorized to {what} this environment template",
                     reference="foreign-template")


def get_readable(db: Session, ctx: RequestContext, template_id: str) -> EnvironmentTemplate:
    """Public, owned, or any for an admin."""
    template = _get(db, template_id)
    if not (template.is_public or ctx.is_admin or template.tenant_id == ctx.project_id):
        raise _forbidden("access")
    return template


def get_writable(db: Session, ctx: RequestContext, template_id: str) -> EnvironmentTemplate:
    """Owned, or any for an admin (Murano let anyone change a public template)."""
    template = _get(db, template_id)
    if not (ctx.is_admin or template.tenant_id == ctx.project_id):
        if template.is_public or template.tenant_id == ctx.project_id:
            raise _forbidden("change")
        raise _forbidden("access")
    return template


def get_owned(db: Session, ctx: RequestContext, template_id: str) -> EnvironmentTemplate:
    """Only the owner project (Murano's rule for the application sub-routes)."""
    template = _get(db, template_id)
    if template.tenant_id != ctx.project_id:
        raise _forbidden("access")
    return template


def _is_public(body: dict[str, Any], default: bool = False) -> bool:
    value = body.get("is_public", default)
    if not isinstance(value, bool):
        raise InvalidInput("is_public must be true or false")
    return value


def _description_text(body: dict[str, Any], default: str = "") -> str:
    value = body.get("description_text", default)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("description_text must be a string")
    return value


def _services(body: dict[str, Any]) -> list[Any]:
    services = body.get("services", [])
    if not isinstance(services, list) or not all(isinstance(s, dict) for s in services):
        raise InvalidInput("services must be a list of application objects")
    return services


def create(db: Session, ctx: RequestContext, body: Any) -> EnvironmentTemplate:
    name = checked_name(body, "environment template")
    _services(body)
    template_id = new_id()
    description = copy.deepcopy(body)
    description.update({"id": template_id, "tenant_id": ctx.project_id})
    template = EnvironmentTemplate(id=template_id, name=name, tenant_id=ctx.project_id,
                                   version=0, is_public=_is_public(body),
                                   description_text=_description_text(body),
                                   description=description)
    db.add(template)
    _flush_unique(db)
    return template


def update(db: Session, template: EnvironmentTemplate, body: Any) -> EnvironmentTemplate:
    template.name = checked_name(body, "environment template")
    template.is_public = _is_public(body, template.is_public)
    template.description_text = _description_text(body, template.description_text)
    description = dict(template.description or {})
    description["name"] = template.name
    description["is_public"] = template.is_public
    template.description = description
    template.updated = utcnow()
    _flush_unique(db)
    return template


def clone(db: Session, ctx: RequestContext, source: EnvironmentTemplate,
          body: Any) -> EnvironmentTemplate:
    if not source.is_public:
        raise Forbidden("User has no access to clone the environment template: only public "
                        "templates can be cloned", reference="template-not-public")
    name = checked_name(body, "environment template")
    template_id = new_id()
    is_public = _is_public(body)
    description = {"name": name, "is_public": is_public, "id": template_id,
                   "tenant_id": ctx.project_id,
                   "services": copy.deepcopy(services_of(source))}
    template = EnvironmentTemplate(id=template_id, name=name, tenant_id=ctx.project_id,
                                   version=source.version, is_public=is_public,
                                   description_text=source.description_text,
                                   created=source.created, updated=source.updated,
                                   description=description)
    db.add(template)
    _flush_unique(db)
    return template


def services_of(template: EnvironmentTemplate) -> list[Any]:
    services = (template.description or {}).get("services")
    return services if isinstance(services, list) else []


def save_services(template: EnvironmentTemplate, services: list[Any]) -> None:
    description = dict(template.description or {})
    description["services"] = services
    description["updated"] = str(utcnow())
    template.description = description
    template.updated = utcnow()


def _flush_unique(db: Session) -> None:
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict(DUPLICATE, hint="choose another name",
                       reference="duplicate-name") from exc
