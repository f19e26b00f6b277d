"""Configuration sessions: open, check, validate, and submit them to the engine.

"First deploy wins": submitting takes the environment row with a conditional
UPDATE (``version`` must still equal the session's) and re-reads the session
states after that, so of two simultaneous deploys exactly one passes; the row
lock (PostgreSQL) or the write lock (SQLite) orders them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fornace.auth.context import RequestContext
from fornace.db.models import ConfigurationSession, Environment, SessionState, Status, Task
from fornace.db.repositories import environments
from fornace.db.repositories._model import sanitize, services_to_applications
from fornace.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound

BUSY_STATES = (SessionState.DEPLOYING, SessionState.DELETING)
INVALID_MESSAGE = ("Session <SessionId {0}> is invalid: environment has been updated or "
                   "updating right now with other session")


@dataclass(frozen=True)
class Submission:
    """What a deploy, delete or action produced: a task to publish, or nothing."""

    task: Task | None
    message: dict[str, Any] | None


def now_precise() -> datetime:
    """Naive UTC with microseconds: orders tasks and reports written within one second."""
    return datetime.now(UTC).replace(tzinfo=None)


def open_session(db: Session, ctx: RequestContext, env: Environment,
                 *, check_busy: bool = True) -> ConfigurationSession:
    if check_busy:
        status, _ = environments.status_of(db, env.id)
        if status in environments.BUSY_STATUSES:
            raise Forbidden(f"Could not open session for environment <EnvId: {env.id}>, "
                            "environment has deploying or deleting status.",
                            hint="wait until the running deployment finishes",
                            reference="environment-busy")
    session = ConfigurationSession(environment_id=env.id, user_id=ctx.user_id,
                                   state=SessionState.OPENED, version=env.version,
                                   description=copy.deepcopy(env.description))
    db.add(session)
    db.flush()
    return session


def get_for_environment(db: Session, ctx: RequestContext, environment_id: str,
                        session_id: str) -> ConfigurationSession:
    """404 unknown session, 400 session of another env, then the env's 404/403."""
    session = db.get(ConfigurationSession, session_id)
    if session is None:
        raise NotFound(f"Session <SessionId {session_id}> is not found",
                       reference="session-not-found")
    if session.environment_id != environment_id:
        raise InvalidInput(f"Session <SessionId {session_id}> is not tied with Environment "
                           f"<EnvId {environment_id}>", reference="session-of-other-environment")
    environments.get(db, ctx, environment_id)
    return session


def get_own(db: Session, ctx: RequestContext, environment_id: str,
            session_id: str) -> ConfigurationSession:
    """As :func:`get_for_environment`, and only the session's user (401, as Murano)."""
    session = get_for_environment(db, ctx, environment_id, session_id)
    if session.user_id != ctx.user_id:
        raise NotAuthenticated(f"User <UserId {ctx.user_id}> is not authorized to access "
                               f"session <SessionId {session_id}>.",
                               reference="session-of-other-user")
    return session


def is_valid(db: Session, session: ConfigurationSession) -> bool:
    env_version = db.scalar(select(Environment.version)
                            .where(Environment.id == session.environment_id))
    if env_version is None or env_version > session.version:
        return False
    if session.state != SessionState.OPENED:
        return True
    return not _others_busy(db, session)


def _others_busy(db: Session, session: ConfigurationSession) -> bool:
    count = db.scalar(select(func.count()).select_from(ConfigurationSession).where(
        ConfigurationSession.environment_id == session.environment_id,
        ConfigurationSession.id != session.id,
        ConfigurationSession.state.in_(BUSY_STATES)))
    return bool(count)


def check_valid(db: Session, session: ConfigurationSession) -> None:
    if not is_valid(db, session):
        raise Forbidden(INVALID_MESSAGE.format(session.id), reference="session-invalid",
                        hint="open a new session with POST /environments/{id}/configure")


def check_editable(db: Session, session: ConfigurationSession) -> None:
    """A draft may change only while it is valid and not being deployed."""
    check_valid(db, session)
    if session.state in BUSY_STATES:
        raise Forbidden(f"Session <SessionId {session.id}> is already in deployment state",
                        reference="session-deploying")


def delete(db: Session, session: ConfigurationSession) -> None:
    if session.state == SessionState.DEPLOYING:
        raise Forbidden(f"Session <SessionId: {session.id}> is in deploying state and could "
                        "not be deleted", reference="session-deploying")
    db.delete(session)
    db.flush()


def description_for(db: Session, env: Environment,
                    session: ConfigurationSession | None) -> dict[str, Any]:
    """The envelope a reader sees: the draft of a valid undeployed session, else the env's."""
    if session is not None and session.state != SessionState.DEPLOYED and is_valid(db, session):
        return session.description
    return env.description


def deploy(db: Session, ctx: RequestContext, env: Environment,
           session: ConfigurationSession) -> Submission:
    """Validate and submit ``session``: remove a never-deployed env or write its task."""
    check_valid(db, session)
    if session.state != SessionState.OPENED:
        raise Forbidden(f"Session <SessionId {session.id}> is already deployed or deployment "
                        "is in progress", reference="session-not-open")
    description = session.description or {}
    if description.get("Objects") is None and "ObjectsCopy" not in description:
        environments.remove(db, env.id)
        return Submission(None, None)
    deleting = description.get("Objects") is None
    action = None if deleting else {"object_id": env.id, "method": "deploy", "args": {}}
    return submit(db, ctx, env, session, action)


def submit(db: Session, ctx: RequestContext, env: Environment, session: ConfigurationSession,
           action: dict[str, Any] | None) -> Submission:
    """Take the environment, then write the task and its first report in this transaction."""
    _acquire(db, env, session)
    model = copy.deepcopy(session.description)
    objects = model.get("Objects")
    if objects is not None:
        objects.setdefault("?", {})["id"] = env.id
        model["Objects"] = services_to_applications(objects)
    state = SessionState.DELETING if objects is None else SessionState.DEPLOYING
    db.execute(update(ConfigurationSession).where(ConfigurationSession.id == session.id)
               .values(state=state, updated=now_precise())
               .execution_options(synchronize_session=False))
    session.state = state
    started = now_precise()
    task = Task(environment_id=env.id, session_id=session.id, started=started, created=started,
                updated=started, action=action, result={}, user_id=ctx.user_id,
                project_id=ctx.project_id,
                description=sanitize(model["Objects"]) if objects is not None else None)
    name = action["method"] if action else None
    task.reports.append(Status(text=f"Action {name} is scheduled", level="info",
                               created=started, updated=started))
    db.add(task)
    db.flush()
    message = {"id": env.id, "token": ctx.token, "project_id": ctx.project_id,
               "user_id": ctx.user_id, "action": action, "model": model,
               "task_id": task.id}  # Fornace: the engine's idempotency key (docs/engine.md)
    return Submission(task, message)


def _acquire(db: Session, env: Environment, session: ConfigurationSession) -> None:
    """The conditional UPDATE that makes one deploy win; re-checks after taking the lock."""
    taken = db.execute(
        update(Environment)
        .where(Environment.id == env.id, Environment.version == session.version)
        .values(updated=now_precise().replace(microsecond=0))
        .execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Forbidden(INVALID_MESSAGE.format(session.id), reference="session-invalid")
    state = db.scalar(select(ConfigurationSession.state)
                      .where(ConfigurationSession.id == session.id))
    if state != SessionState.OPENED:
        raise Forbidden(f"Session <SessionId {session.id}> is already deployed or deployment "
                        "is in progress", reference="session-not-open")
    if _others_busy(db, session):
        raise Forbidden(INVALID_MESSAGE.format(session.id), reference="session-invalid")
