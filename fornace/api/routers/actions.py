"""Routes: run an action of an environment's object, and read its result."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from fornace.api.body import JsonBody
from fornace.api.deps import Ctx, Db, Publisher
from fornace.api.submit import publish
from fornace.auth.policy import authorize
from fornace.db.repositories import environments, sessions
from fornace.db.repositories._model import find_action
from fornace.db.repositories.tasks import get_in_environment
from fornace.errors import InvalidInput, NotFound

router = APIRouter(prefix="/environments/{environment_id}/actions", tags=["actions"])


@router.post("/{action_id}")
def execute_action(environment_id: str, action_id: str, ctx: Ctx, db: Db,
                   publisher: Publisher, body: JsonBody) -> dict[str, Any]:
    env = environments.get(db, ctx, environment_id)
    authorize(ctx, "execute_action")
    args = {} if body is None else body
    if not isinstance(args, dict):
        raise InvalidInput("action arguments must be a JSON object of name: value")
    session = sessions.open_session(db, ctx, env)
    sessions.check_valid(db, session)
    found = find_action(session.description, action_id)
    if found is None:
        raise NotFound(f"Action {action_id} is not found in environment {env.id}",
                       hint="action ids are listed under '?._actions' of the objects in "
                            "GET /v1/environments/{id}/model/", reference="action-not-found")
    object_id, action = found
    if not action.get("enabled", True):
        raise InvalidInput(f"Cannot execute disabled action {action_id}",
                           reference="action-disabled")
    action_call = {"object_id": object_id, "method": action.get("name"), "args": args}
    submission = sessions.submit(db, ctx, env, session, action_call)
    publish(db, publisher, submission)
    return {"task_id": submission.task.id if submission.task else None}


@router.get("/{task_id}")
def get_action_result(environment_id: str, task_id: str, ctx: Ctx, db: Db) -> Any:
    env = environments.get(db, ctx, environment_id)
    authorize(ctx, "execute_action")
    try:
        task = get_in_environment(db, env.id, task_id)
    except InvalidInput as exc:
        raise NotFound(f"Task with id {task_id} is not found in environment {env.id}",
                       reference="task-not-found") from exc
    return task.result if task.result is not None else {}
