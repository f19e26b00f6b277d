"""Hand a written task to the engine: commit first, then publish; undo if publishing fails."""

from __future__ import annotations

import logging

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from fornace.api.publisher import TaskPublisher
from fornace.db.models import ConfigurationSession, SessionState, Task
from fornace.db.repositories.sessions import Submission
from fornace.errors import FornaceError, ServiceUnavailable

log = logging.getLogger(__name__)


def publish(db: Session, publisher: TaskPublisher, submission: Submission) -> None:
    """Commit the task row and its first report, then send the task message."""
    db.commit()
    task = submission.task
    if task is None or submission.message is None:
        return
    try:
        publisher.publish_task(submission.message)
    except Exception as exc:
        log.error("publishing task %s of environment %s failed: %s", task.id,
                  task.environment_id, exc)
        _withdraw(db, task)
        if isinstance(exc, FornaceError):
            raise
        raise ServiceUnavailable(
            "the deployment could not be handed to an engine: the message bus is unavailable",
            hint="check that the message bus (FORNACE_BUS_URL) is running, then deploy again",
            reference="bus-unavailable") from exc
    log.info("task %s of environment %s published", task.id, task.environment_id)


def _withdraw(db: Session, task: Task) -> None:
    """Undo a task that never reached an engine: drop it and reopen its session."""
    db.rollback()
    db.execute(delete(Task).where(Task.id == task.id)
               .execution_options(synchronize_session=False))
    if task.session_id:
        db.execute(update(ConfigurationSession)
                   .where(ConfigurationSession.id == task.session_id)
                   .values(state=SessionState.OPENED)
                   .execution_options(synchronize_session=False))
    db.commit()
