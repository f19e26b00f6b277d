"""The API application: ``create_app(settings)`` assembles routers and middleware.

Nothing is built at import time; run with ``uvicorn --factory fornace.api.app:app_from_env``
or through ``fornace api``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from fornace.api import errors as api_errors
from fornace.api.middleware.access_log import AccessLogMiddleware
from fornace.api.middleware.api_stats import ApiStatsMiddleware
from fornace.api.middleware.request_id import HEADER as REQUEST_ID_HEADER
from fornace.api.middleware.request_id import RequestIdMiddleware
from fornace.api.middleware.unexpected_errors import UnexpectedErrorMiddleware
from fornace.api.publisher import NullPublisher, TaskPublisher
from fornace.api.request_stats import RequestStatsCollector
from fornace.api.routers import (
    actions,
    categories,
    deployments,
    environments,
    instance_statistics,
    packages,
    schemas,
    services,
    sessions,
    static_actions,
    stats,
    template_services,
    templates,
    versions,
)
from fornace.auth.policy import configure_policy
from fornace.config import AuthMode, Settings, load_settings
from fornace.db import check_schema, make_engine, make_sessionmaker
from fornace.errors import FornaceError

log = logging.getLogger(__name__)

V1_ROUTERS = (
    environments, sessions, services, deployments, actions, static_actions,
    instance_statistics, packages, categories, templates, template_services, schemas, stats,
)


def make_auth_backend(settings: Settings, sessions=None):  # type: ignore[no-untyped-def]
    """The backend named by ``settings.auth``; builtin tokens live in ``sessions``' DB."""
    if settings.auth == AuthMode.BUILTIN:
        from fornace.auth.backends.builtin import BuiltinBackend

        sessions = sessions or make_sessionmaker(make_engine(settings.effective_database_url))
        return BuiltinBackend(sessions, settings.admin_role,
                              cache_seconds=settings.builtin_token_cache_seconds)
    if settings.auth == AuthMode.KEYSTONE:
        from fornace.auth.backends.keystone import KeystoneBackend

        return KeystoneBackend(settings)
    from fornace.auth.backends.noauth import NoAuthBackend

    return NoAuthBackend(settings.admin_role)


def create_app(settings: Settings | None = None, *, publisher: TaskPublisher | None = None,
               check_database: bool = True, connect_bus: bool | None = None) -> FastAPI:
    """``connect_bus`` (default: when ``settings.bus_url`` is set) publishes tasks on the
    bus and runs the consumer of engine results and reports inside this process."""
    settings = settings or load_settings()
    engine = make_engine(settings.effective_database_url)
    if check_database:
        check_schema(engine)
    app = FastAPI(title="Fornace API", version="1", docs_url=None, redoc_url=None,
                  lifespan=_lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.auth_backend = make_auth_backend(settings, app.state.sessionmaker)
    configure_policy(settings)
    if connect_bus is None:
        connect_bus = bool(settings.bus_url)
    if publisher is None and connect_bus:
        _connect_bus(app, settings)
    app.state.publisher = publisher or getattr(app.state, "publisher", None) or NullPublisher()
    app.state.request_stats = RequestStatsCollector(app.state.sessionmaker)
    # Added innermost first: the request id wraps everything, so every answer carries it.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(ApiStatsMiddleware, collector=app.state.request_stats)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(RequestIdMiddleware)

    app.include_router(versions.router)
    for module in V1_ROUTERS:
        app.include_router(module.router, prefix="/v1")

    @app.exception_handler(FornaceError)
    async def _fornace_error(_request: Request, exc: FornaceError) -> JSONResponse:
        return api_errors.response_for(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return api_errors.error_response(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return api_errors.error_response(400, f"invalid request: {where}: {first.get('msg', '')}")

    @app.exception_handler(DataError)
    async def _unstorable_value(_request: Request, exc: DataError) -> JSONResponse:
        return api_errors.error_response(
            400, "the request holds a value the database cannot store "
                 "(for example a NUL character or a number out of range)",
            hint="remove control characters and check numeric values, then retry",
            reference="unstorable-value")

    @app.exception_handler(Exception)
    async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        request_id = request.scope.get("state", {}).get("request_id", "")
        # First line only: database errors carry the statement's parameters after it.
        first_line = (str(exc).splitlines() or [""])[0][:300]
        log.error("request %s failed: %s: %s", request_id, type(exc).__name__, first_line)
        return api_errors.error_response(
            500, "the server hit an unexpected error; the request was not completed",
            hint=f"report request id {request_id} to the operator",
            headers={REQUEST_ID_HEADER: request_id} if request_id else None)

    return app


def _connect_bus(app: FastAPI, settings: Settings) -> None:
    from fornace.api.engine_results import EngineResultConsumer
    from fornace.bus import BusTaskPublisher

    publisher = BusTaskPublisher(settings.bus_url, data_dir=settings.data_dir,
                                 prefix=settings.bus_prefix)
    consumer = EngineResultConsumer(app.state.sessionmaker, settings.bus_url,
                                    data_dir=settings.data_dir, prefix=settings.bus_prefix)
    app.state.publisher = publisher
    app.state.result_consumer = consumer


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the engine-result consumer with the server (when the bus is connected)."""
    consumer = getattr(app.state, "result_consumer", None)
    if consumer is not None:
        consumer.start()
    try:
        yield
    finally:
        if consumer is not None:
            consumer.stop()
            app.state.publisher.close()


def app_from_env() -> FastAPI:
    return create_app(load_settings())
