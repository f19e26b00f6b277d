"""Environments and sessions as the API returns them."""

from __future__ import annotations

from typing import Any

from fornace.api.schemas._time import timestamp
from fornace.db.models import ConfigurationSession, Environment


def environment_out(row: Any) -> dict[str, Any]:
    """The row dict of Murano (``row`` is an Environment or a row of its columns)."""
    return {"id": row.id, "name": row.name, "tenant_id": row.tenant_id, "version": row.version,
            "description_text": row.description_text or "",
            "created": timestamp(row.created), "updated": timestamp(row.updated)}


def environment_list_item(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row of :func:`environments.list_with_status` as Murano's list item."""
    env_id, name, tenant_id, version, text, created, updated, status = row
    return {"id": env_id, "name": name, "tenant_id": tenant_id, "version": version,
            "description_text": text or "", "created": created.isoformat(timespec="seconds"),
            "updated": updated.isoformat(timespec="seconds"), "status": status}


def environment_detail(env: Environment, status: str, acquired_by: str | None,
                       services: list[Any] | None) -> dict[str, Any]:
    out = environment_out(env)
    out.update({"status": status, "acquired_by": acquired_by,
                "services": with_status(services, status)})
    return out


def with_status(services: list[Any] | None, status: str) -> list[Any] | None:
    """Copies of the services with the computed ``?.status`` (never persisted)."""
    if services is None:
        return None
    out = []
    for service in services:
        if isinstance(service, dict) and isinstance(service.get("?"), dict):
            service = {**service, "?": {**service["?"], "status": status}}
        out.append(service)
    return out


def session_out(session: ConfigurationSession) -> dict[str, Any]:
    return {"id": session.id, "environment_id": session.environment_id,
            "user_id": session.user_id, "state": session.state, "version": session.version,
            "created": timestamp(session.created), "updated": timestamp(session.updated)}
