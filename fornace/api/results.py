"""What the engine sends back: a deployment's result and its status reports.

The engine side calls these with a DB session it commits:
``process_result(db, environment_id, result)`` (Murano's ResultEndpoint) and
``store_report(db, payload)`` (the ``murano.report_notification`` event).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fornace.db.models import (
    ConfigurationSession,
    Environment,
    ReportLevel,
    SessionState,
    Status,
    Task,
)
from fornace.db.repositories import environments, tasks
from fornace.db.repositories._model import applications_to_services
from fornace.db.repositories.sessions import now_precise
from fornace.errors import InvalidInput

log = logging.getLogger(__name__)


def process_result(db: Session, environment_id: str, result: dict[str, Any]) -> None:
    """Store an engine result: new model, version + 1, task closed, session final state."""
    model = result.get("model")
    if not isinstance(model, dict) or "Objects" not in model:
        raise InvalidInput("an engine result needs a 'model' with 'Objects'")
    action_result = result.get("action") or {}
    env = db.get(Environment, environment_id)
    if env is None:
        log.warning("result for environment %s ignored: it no longer exists", environment_id)
        return
    if model["Objects"] is None and "ObjectsCopy" in model and model["ObjectsCopy"] is None:
        log.info("environment %s deleted by its engine run", environment_id)
        environments.remove(db, environment_id)
        return
    deleted = model["Objects"] is None
    description = dict(model)
    description["Objects"] = applications_to_services(model["Objects"])
    db.execute(update(Environment).where(Environment.id == environment_id)
               .values(description=description, version=Environment.version + 1,
                       updated=now_precise().replace(microsecond=0))
               .execution_options(synchronize_session=False))
    task = tasks.latest(db, environment_id)
    failed = bool(action_result.get("isException"))
    if task is not None:
        errors, warnings = _levels(db, task.id)
        failed = failed or errors > 0
        _close(task, action_result, "Deletion" if deleted else "Deployment", errors, warnings)
    _finish_session(db, environment_id, task, deleted, failed)
    db.flush()
    log.info("environment %s: %s %s", environment_id, "deletion" if deleted else "deployment",
             "failed" if failed else "finished")


def _levels(db: Session, task_id: str) -> tuple[int, int]:
    counts = dict(db.execute(
        select(Status.level, func.count()).where(Status.task_id == task_id)
        .group_by(Status.level)).all())
    return counts.get(ReportLevel.ERROR, 0), counts.get(ReportLevel.WARNING, 0)


def _close(task: Task, action_result: dict[str, Any], name: str, errors: int,
           warnings: int) -> None:
    finished = now_precise()
    task.finished = finished
    task.result = action_result
    task.updated = finished
    text = f"{name} finished"
    if errors:
        text += " with errors"
    elif warnings:
        text += " with warnings"
    task.reports.append(Status(text=text, level=ReportLevel.INFO, created=finished,
                               updated=finished))


def _finish_session(db: Session, environment_id: str, task: Task | None, deleted: bool,
                    failed: bool) -> None:
    busy = SessionState.DELETING if deleted else SessionState.DEPLOYING
    query = select(ConfigurationSession).where(
        ConfigurationSession.environment_id == environment_id,
        ConfigurationSession.state == busy)
    if task is not None and task.session_id:
        query = query.where(ConfigurationSession.id == task.session_id)
    session = db.scalars(query).first()
    if session is None:
        log.warning("environment %s: no %s session to close", environment_id, busy)
        return
    if failed:
        session.state = SessionState.DELETE_FAILURE if deleted else SessionState.DEPLOY_FAILURE
    else:
        session.state = SessionState.DEPLOYED
    session.updated = now_precise()


def store_report(db: Session, payload: dict[str, Any]) -> Status | None:
    """A status report of a running task, attached to the env's latest task."""
    environment_id = payload.get("environment_id")
    text = payload.get("text")
    if not isinstance(environment_id, str) or not isinstance(text, str):
        raise InvalidInput("a report needs 'environment_id' and 'text'")
    level = payload.get("level") or ReportLevel.INFO
    if level not in tuple(ReportLevel):
        raise InvalidInput(f"report level must be info, warning or error, not {level!r}")
    task = tasks.latest(db, environment_id)
    if task is None:
        log.warning("report for environment %s dropped: it has no deployment", environment_id)
        return None
    created = _parse_time(payload.get("timestamp"))
    status = Status(task_id=task.id, entity_id=payload.get("id"), text=text, level=level,
                    details=payload.get("details"), created=created, updated=created)
    db.add(status)
    db.flush()
    return status


def _parse_time(value: Any) -> datetime:
    if not isinstance(value, str):
        return now_precise()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return now_precise()
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
