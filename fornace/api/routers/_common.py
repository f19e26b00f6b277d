"""Small helpers shared by routers: empty 200 responses, query flags, the session header."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fornace.auth.context import RequestContext
from fornace.db.models import ConfigurationSession, Environment
from fornace.db.repositories import sessions
from fornace.errors import InvalidInput

SESSION_HEADER = "X-Configuration-Session"


def empty() -> Response:
    """Murano's 200 with an empty body (deletes, deploy)."""
    return Response(status_code=200, media_type="application/json")


def flag(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


def session_header(request: Request) -> str | None:
    return request.headers.get(SESSION_HEADER) or None


def reading_session(db: Session, ctx: RequestContext, env: Environment,
                    request: Request) -> ConfigurationSession | None:
    """The session named by the optional header: 404 unknown, 400 of another env."""
    session_id = session_header(request)
    if session_id is None:
        return None
    return sessions.get_for_environment(db, ctx, env.id, session_id)


def editing_session(db: Session, ctx: RequestContext, environment_id: str,
                    request: Request) -> ConfigurationSession:
    """The draft a write goes to: header required, session of this env, valid, not busy."""
    session_id = session_header(request)
    if session_id is None:
        raise InvalidInput(f"{SESSION_HEADER} header which indicates the session is missing",
                           hint="open one with POST /v1/environments/{id}/configure and send "
                                "its id in the X-Configuration-Session header",
                           reference="session-header-missing")
    session = sessions.get_for_environment(db, ctx, environment_id, session_id)
    sessions.check_editable(db, session)
    return session


def objects_of(description: dict[str, Any]) -> Any:
    return description.get("Objects")
