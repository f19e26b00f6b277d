"""Count requests, errors and time per project for GET /v1/stats, in memory."""

from __future__ import annotations

import time

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            context = scope.get("state", {}).get("context")
            self.collector.record(getattr(context, "project_id", None),
                                  time.perf_counter() - started, status >= 400)
        if self.collector.due():
            await anyio.to_thread.run_sync(self.collector.flush)
