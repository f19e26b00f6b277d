"""Deployments (tasks) and reports (statuses) as the API returns them."""

from __future__ import annotations

from typing import Any

from fornace.api.schemas._time import timestamp
from fornace.db.models import Status, Task
from fornace.db.repositories._model import applications_to_services, sanitize
from fornace.db.repositories.tasks import task_state


def deployment_out(task: Task, counts: dict[str, int]) -> dict[str, Any]:
    return {"id": task.id, "environment_id": task.environment_id,
            "state": task_state(task.finished is not None, counts),
            "started": timestamp(task.started), "finished": timestamp(task.finished),
            "created": timestamp(task.created), "updated": timestamp(task.updated),
            "action": task.action, "result": task.result if task.result is not None else {},
            "description": sanitize(applications_to_services(task.description))}


def report_out(status: Status) -> dict[str, Any]:
    return {"id": status.id, "task_id": status.task_id, "entity_id": status.entity_id,
            "entity": status.entity, "text": status.text, "level": status.level,
            "details": status.details, "created": timestamp(status.created),
            "updated": timestamp(status.updated)}
