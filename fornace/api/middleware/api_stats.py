"""Count requests, errors and time per project for GET /v1/stats, in memory."""

from __future__ import annotations

import time

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from fornace.api.middleware._status import ResponseStatus
from fornace.api.request_stats import RequestStatsCollector


class ApiStatsMiddleware:
    def __init__(self, app: ASGIApp, collector: RequestStatsCollector) -> None:
        self.app = app
        self.collector = collector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/v1"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        noted = ResponseStatus(send)
        try:
            await self.app(scope, receive, noted.send)
        finally:
            context = scope.get("state", {}).get("context")
            self.collector.record(getattr(context, "project_id", None),
                                  time.perf_counter() - started, noted.status >= 400)
        if self.collector.due():
            await anyio.to_thread.run_sync(self.collector.flush)
