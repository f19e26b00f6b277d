"""One log line per request: request id, project, method, route, status, milliseconds.

Never bodies, headers or query strings (they may carry tokens or secrets).
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from fornace.api.middleware._status import ResponseStatus

log = logging.getLogger("fornace.api.access")


def route_of(scope: Scope) -> str:
    """The path with its parameters named (``/v1/environments/{environment_id}``)."""
    path = str(scope.get("path", ""))
    params = scope.get("path_params") or {}
    for name, value in sorted(params.items(), key=lambda item: -len(str(item[1]))):
        if value:
            path = path.replace(f"/{value}", "/{" + name + "}", 1)
    return path


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        noted = ResponseStatus(send)
        try:
            await self.app(scope, receive, noted.send)
        finally:
            state = scope.get("state", {})
            context = state.get("context")
            log.info("%s %s %s %s %s %.1fms", state.get("request_id", "-"),
                     getattr(context, "project_id", "-"), scope.get("method"), route_of(scope),
                     noted.status, (time.perf_counter() - started) * 1000)
