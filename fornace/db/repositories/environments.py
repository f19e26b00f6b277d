"""Environments: visibility, status (computed from sessions), create, rename, remove."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fornace.auth.context import RequestContext
from fornace.db.base import utcnow
from fornace.db.models import ConfigurationSession, Environment, EnvironmentStatus, SessionState
from fornace.db.repositories._model import new_description
from fornace.db.repositories._names import checked_name
from fornace.errors import Conflict, Forbidden, NotFound

# Columns returned by the API (never the description blob).
ROW_COLUMNS = (Environment.id, Environment.name, Environment.tenant_id, Environment.version,
               Environment.description_text, Environment.created, Environment.updated)

_FINAL_STATES = {
    SessionState.DEPLOYING: EnvironmentStatus.DEPLOYING,
    SessionState.DELETING: EnvironmentStatus.DELETING,
    SessionState.DEPLOY_FAILURE: EnvironmentStatus.DEPLOY_FAILURE,
    SessionState.DELETE_FAILURE: EnvironmentStatus.DELETE_FAILURE,
}
BUSY_STATUSES = (EnvironmentStatus.DEPLOYING, EnvironmentStatus.DELETING)


def visible(ctx: RequestContext) -> Select[Any]:
    """Environments the caller may see: its project's, or all for an admin."""
    query = select(Environment)
    return query if ctx.is_admin else query.where(Environment.tenant_id == ctx.project_id)


def get(db: Session, ctx: RequestContext, environment_id: str) -> Environment:
    """The environment, 404 when missing, 403 when it belongs to another project."""
    env = db.get(Environment, environment_id)
    if env is None:
        raise NotFound(f"Environment with id {environment_id} not found")
    if env.tenant_id != ctx.project_id and not ctx.is_admin:
        raise Forbidden("User is not authorized to access these tenant resources",
                        reference="foreign-environment")
    return env


def status_from_states(states: Iterable[str]) -> tuple[EnvironmentStatus, bool]:
    """Murano's scan over sessions ordered newest first; also says if any is opened."""
    has_opened = False
    for state in states:
        if state in _FINAL_STATES:
            return _FINAL_STATES[SessionState(state)], has_opened
        if state == SessionState.OPENED:
            has_opened = True
        elif state == SessionState.DEPLOYED:
            break
    return (EnvironmentStatus.PENDING if has_opened else EnvironmentStatus.READY), has_opened


def _sessions_newest_first(where: Any) -> Any:
    return (select(ConfigurationSession.environment_id, ConfigurationSession.id,
                   ConfigurationSession.state)
            .where(where)
            .order_by(ConfigurationSession.environment_id, ConfigurationSession.version.desc(),
                      ConfigurationSession.updated.desc()))


def statuses(db: Session, where: Any) -> dict[str, tuple[EnvironmentStatus, str | None]]:
    """env id -> (status, acquired_by) for every env with sessions matching ``where``.

    One query for all environments; environments without sessions are ``ready``.
    """
    by_env: dict[str, list[tuple[str, str]]] = {}
    for row in db.execute(_sessions_newest_first(where)):
        env_id, session_id, state = row[0], row[1], row[2]
        by_env.setdefault(env_id, []).append((session_id, state))
    out: dict[str, tuple[EnvironmentStatus, str | None]] = {}
    for env_id, rows in by_env.items():
        status, _ = status_from_states(state for _, state in rows)
        acquired = None
        if status == EnvironmentStatus.DEPLOYING:
            acquired = next((sid for sid, st in rows if st == SessionState.DEPLOYING), None)
        out[env_id] = (status, acquired)
    return out


def status_of(db: Session, environment_id: str) -> tuple[EnvironmentStatus, str | None]:
    found = statuses(db, ConfigurationSession.environment_id == environment_id)
    return found.get(environment_id, (EnvironmentStatus.READY, None))


def _listing_query(filtered: bool) -> Any:
    query = (select(*ROW_COLUMNS, ConfigurationSession.state)
             .outerjoin(ConfigurationSession,
                        ConfigurationSession.environment_id == Environment.id)
             .order_by(Environment.created, Environment.id,
                       ConfigurationSession.version.desc(),
                       ConfigurationSession.updated.desc()))
    return query.where(Environment.tenant_id == bindparam("tenant")) if filtered else query


# Built once: the list is the hottest route, and statement building costs more than the SQL.
_LIST_ONE_TENANT = _listing_query(True)
_LIST_ALL_TENANTS = _listing_query(False)


def list_with_status(db: Session, ctx: RequestContext, *, all_tenants: bool = False,
                     tenant: str | None = None) -> list[tuple[Any, ...]]:
    """``(id, name, tenant_id, version, description_text, created, updated, status)`` of the
    listed environments, from one query over environments joined with their sessions.
    """
    if tenant is None and all_tenants:
        rows = db.connection().execute(_LIST_ALL_TENANTS).all()
    else:
        rows = db.connection().execute(
            _LIST_ONE_TENANT, {"tenant": ctx.project_id if tenant is None else tenant}).all()
    out: list[tuple[Any, ...]] = []
    current: tuple[Any, ...] | None = None
    states: list[str] = []
    for row in rows:
        if current is None or row[0] != current[0]:
            if current is not None:
                out.append((*current, status_from_states(states)[0]))
            current, states = tuple(row[:7]), []
        if row[7] is not None:
            states.append(row[7])
    if current is not None:
        out.append((*current, status_from_states(states)[0]))
    return out


def create(db: Session, ctx: RequestContext, body: dict[str, Any]) -> Environment:
    name = checked_name(body, "environment to create")
    env = Environment(name=name, tenant_id=ctx.project_id, version=0,
                      description_text=str(body.get("description_text") or ""),
                      description=new_description(body, ctx.project_id, ctx.user_id))
    db.add(env)
    _flush_unique(db, "Environment with specified name already exists")
    return env


def rename(db: Session, env: Environment, body: Any) -> Environment:
    env.name = checked_name(body, "environment")
    env.updated = utcnow()
    _flush_unique(db, "Environment with specified name already exists")
    return env


def remove(db: Session, environment_id: str) -> None:
    """Delete the row; sessions and tasks (and their reports) go with it."""
    db.execute(delete(Environment).where(Environment.id == environment_id)
               .execution_options(synchronize_session=False))
    db.expunge_all()


def _flush_unique(db: Session, message: str) -> None:
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict(message, hint="choose another name",
                       reference="duplicate-name") from exc
