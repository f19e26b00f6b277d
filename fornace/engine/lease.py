"""Per-environment fencing of engines, and the redelivery record (docs/engine.md).

An engine runs a task of environment E only while it holds E's row in
``engine_lease`` (state ``running``, ``expires`` in the future, renewed by a
heartbeat). Another engine that gets a task of E waits until the row is
``done`` or expired. When the task's result is published the row turns
``done`` and keeps the task id, so a redelivered copy of that task is dropped.

A ``running`` row for the *same* task whose lease expired means the engine that
started it died (SIGKILL, power loss): the task comes back as ``ORPHANED`` and
the worker finishes it as a clean failure instead of running it a second time.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from fornace.db.models import EngineLease, Environment, Task
from fornace.db.repositories.sessions import now_precise

RUNNING = "running"
DONE = "done"


class Claim(enum.Enum):
    ACQUIRED = "acquired"      # run the task
    ORPHANED = "orphaned"      # this task was started by an engine that died: fail it cleanly
    BUSY = "busy"              # another live engine holds the environment: wait
    FINISHED = "finished"      # the task already has a result: drop the message
    GONE = "gone"              # the environment was deleted (or abandoned): drop the message


def _now() -> datetime:
    return now_precise()


def claim(sessions: sessionmaker[Session], environment_id: str, task_id: str | None,
          owner: str, ttl: float) -> Claim:
    """Try to take ``environment_id`` for ``task_id``; one short transaction."""
    with sessions() as db, db.begin():
        if db.get(Environment, environment_id) is None:
            return Claim.GONE
        if task_id is not None:
            task = db.get(Task, task_id)
            if task is None:
                return Claim.GONE
            if task.finished is not None:
                return Claim.FINISHED
        key = task_id or ""
        now = _now()
        expires = now + timedelta(seconds=ttl)
        row = db.scalars(select(EngineLease).where(EngineLease.environment_id == environment_id)
                         .with_for_update()).first()
        if row is None:
            db.add(EngineLease(environment_id=environment_id, task_id=key, owner=owner,
                               state=RUNNING, expires=expires, updated=now))
            try:
                db.flush()
            except IntegrityError:
                return Claim.BUSY
            return Claim.ACQUIRED
        if row.state == DONE and row.task_id == key and key:
            return Claim.FINISHED
        if row.state == RUNNING and row.expires > now and row.owner != owner:
            return Claim.BUSY
        orphaned = row.state == RUNNING and row.task_id == key and row.owner != owner
        taken = db.execute(
            update(EngineLease)
            .where(EngineLease.environment_id == environment_id,
                   EngineLease.owner == row.owner, EngineLease.expires == row.expires,
                   EngineLease.state == row.state)
            .values(task_id=key, owner=owner, state=RUNNING, expires=expires, updated=now)
            .execution_options(synchronize_session=False)).rowcount
        if taken != 1:
            return Claim.BUSY
        return Claim.ORPHANED if orphaned else Claim.ACQUIRED


def renew(sessions: sessionmaker[Session], environment_id: str, owner: str, ttl: float) -> bool:
    """Push the expiry forward; False when this engine no longer holds the lease."""
    now = _now()
    with sessions() as db, db.begin():
        return db.execute(
            update(EngineLease)
            .where(EngineLease.environment_id == environment_id, EngineLease.owner == owner,
                   EngineLease.state == RUNNING)
            .values(expires=now + timedelta(seconds=ttl), updated=now)
            .execution_options(synchronize_session=False)).rowcount == 1


def release(sessions: sessionmaker[Session], environment_id: str, owner: str,
            *, forget: bool = False) -> bool:
    """The result is published: mark the task done (kept as the redelivery record), or
    drop the row (``forget``: the environment was deleted; a redelivery finds it gone)."""
    now = _now()
    with sessions() as db, db.begin():
        if forget:
            return db.execute(
                delete(EngineLease)
                .where(EngineLease.environment_id == environment_id,
                       EngineLease.owner == owner)
                .execution_options(synchronize_session=False)).rowcount == 1
        return db.execute(
            update(EngineLease)
            .where(EngineLease.environment_id == environment_id, EngineLease.owner == owner,
                   EngineLease.state == RUNNING)
            .values(state=DONE, expires=now, updated=now)
            .execution_options(synchronize_session=False)).rowcount == 1


def holds(sessions: sessionmaker[Session], environment_id: str, owner: str) -> bool:
    with sessions() as db:
        row = db.get(EngineLease, environment_id)
        return row is not None and row.owner == owner and row.state == RUNNING
