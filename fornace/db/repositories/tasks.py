"""Tasks (deployments) and their status reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fornace.auth.context import RequestContext
from fornace.db.models import Environment, ReportLevel, Status, Task
from fornace.db.repositories._model import object_ids
from fornace.errors import InvalidInput, NotFound


def _counts(db: Session, task_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """task id -> {level: number of reports} for errors and warnings, one query."""
    ids = list(task_ids)
    out: dict[str, dict[str, int]] = {}
    if not ids:
        return out
    query = (select(Status.task_id, Status.level, func.count())
             .where(Status.task_id.in_(ids),
                    Status.level.in_((ReportLevel.ERROR, ReportLevel.WARNING)))
             .group_by(Status.task_id, Status.level))
    for task_id, level, count in db.execute(query):
        out.setdefault(task_id, {})[level] = count
    return out


def task_state(finished: bool, counts: dict[str, int]) -> str:
    prefix = "success" if finished else "running"
    if counts.get(ReportLevel.ERROR):
        return "completed_w_errors" if finished else "running_w_errors"
    if counts.get(ReportLevel.WARNING):
        return "completed_w_warnings" if finished else "running_w_warnings"
    return prefix


def list_for(db: Session, ctx: RequestContext,
             environment_id: str | None) -> tuple[Sequence[Task], dict[str, dict[str, int]]]:
    """Tasks of one env, or of every env of the caller's project; newest first."""
    query = select(Task).order_by(Task.started.desc(), Task.id)
    if environment_id is not None:
        query = query.where(Task.environment_id == environment_id)
    else:
        query = query.join(Environment, Environment.id == Task.environment_id).where(
            Environment.tenant_id == ctx.project_id)
    tasks = db.scalars(query).all()
    return tasks, _counts(db, (t.id for t in tasks))


def get_in_environment(db: Session, environment_id: str, task_id: str) -> Task:
    """404 unknown task, 400 task of another environment."""
    task = db.get(Task, task_id)
    if task is None:
        raise NotFound(f"Deployment with id {task_id} not found", reference="task-not-found")
    if task.environment_id != environment_id:
        raise InvalidInput(f"Deployment with id {task_id} does not belong to environment "
                           f"{environment_id}", reference="task-of-other-environment")
    return task


def reports(db: Session, task: Task, env_description: dict[str, Any],
            service_ids: list[str]) -> Sequence[Status]:
    query = select(Status).where(Status.task_id == task.id).order_by(Status.created, Status.id)
    if service_ids:
        wanted = _ids_inside_services(env_description, service_ids)
        if not wanted:
            return []
        query = query.where(Status.entity_id.in_(wanted))
    return db.scalars(query).all()


def _ids_inside_services(description: dict[str, Any], service_ids: list[str]) -> set[str]:
    services = (description.get("Objects") or {}).get("services") or []
    ids: set[str] = set()
    for service in services:
        if isinstance(service, dict) and (service.get("?") or {}).get("id") in service_ids:
            ids |= object_ids(service)
    return ids


def last_statuses(db: Session, environment_id: str,
                  services: list[Any]) -> dict[str, Status | None]:
    """service id -> the newest report about any object inside that service."""
    owners: dict[str, str] = {}
    for service in services:
        if not isinstance(service, dict) or not isinstance(service.get("?"), dict):
            continue
        service_id = str(service["?"].get("id"))
        for obj_id in object_ids(service):
            owners.setdefault(obj_id, service_id)
    result: dict[str, Status | None] = {
        str(s["?"].get("id")): None for s in services
        if isinstance(s, dict) and isinstance(s.get("?"), dict)}
    if not owners:
        return result
    query = (select(Status).join(Task, Task.id == Status.task_id)
             .where(Task.environment_id == environment_id, Status.entity_id.in_(list(owners)))
             .order_by(Status.created, Status.id))
    for status in db.scalars(query):
        result[owners[str(status.entity_id)]] = status
    return result


def latest(db: Session, environment_id: str) -> Task | None:
    return db.scalars(select(Task).where(Task.environment_id == environment_id)
                      .order_by(Task.started.desc(), Task.created.desc()).limit(1)).first()
