"""Routes: configuration sessions (configure, show, delete, deploy)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from fornace.api.deps import Ctx, Db, Publisher
from fornace.api.routers._common import empty
from fornace.api.schemas.environments import session_out
from fornace.api.submit import publish
from fornace.db.repositories import environments, sessions

router = APIRouter(prefix="/environments/{environment_id}", tags=["sessions"])


@router.post("/configure")
def configure_session(environment_id: str, ctx: Ctx, db: Db) -> dict[str, Any]:
    env = environments.get(db, ctx, environment_id)
    return session_out(sessions.open_session(db, ctx, env))


@router.get("/sessions/{session_id}")
def show_session(environment_id: str, session_id: str, ctx: Ctx, db: Db) -> dict[str, Any]:
    session = sessions.get_own(db, ctx, environment_id, session_id)
    sessions.check_valid(db, session)
    return session_out(session)


@router.delete("/sessions/{session_id}")
def delete_session(environment_id: str, session_id: str, ctx: Ctx, db: Db) -> Response:
    sessions.delete(db, sessions.get_own(db, ctx, environment_id, session_id))
    return empty()


@router.post("/sessions/{session_id}/deploy")
def deploy_session(environment_id: str, session_id: str, ctx: Ctx, db: Db,
                   publisher: Publisher) -> Response:
    session = sessions.get_for_environment(db, ctx, environment_id, session_id)
    env = environments.get(db, ctx, environment_id)
    publish(db, publisher, sessions.deploy(db, ctx, env, session))
    return empty()
