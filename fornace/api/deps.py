"""Request-scoped dependencies: the DB session and the caller's context."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from fornace.api.publisher import TaskPublisher
from fornace.auth.context import RequestContext
from fornace.config import Settings


def get_db(request: Request) -> Iterator[Session]:
    db = request.app.state.sessionmaker()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


def get_request_context(request: Request) -> RequestContext:
    ctx: RequestContext | None = getattr(request.state, "context", None)
    if ctx is None:
        request_id = getattr(request.state, "request_id", "")
        ctx = request.app.state.auth_backend.authenticate(request.headers, request_id)
        request.state.context = ctx
    return ctx


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_publisher(request: Request) -> TaskPublisher:
    return request.app.state.publisher  # type: ignore[no-any-return]


# scope="function": commit before the response is sent, so a client that reads right
# after a write sees it.
Db = Annotated[Session, Depends(get_db, scope="function")]
Ctx = Annotated[RequestContext, Depends(get_request_context)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Publisher = Annotated[TaskPublisher, Depends(get_publisher)]
