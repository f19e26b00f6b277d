"""Turn an unexpected exception into a JSON 500, logged once without its values.

The log line names the exception type, the first line of its message and the
stack frames, never the rest of the message: database errors append the SQL
statement's parameters there, and those may hold secrets.
"""

from __future__ import annotations

import logging
import traceback

from starlette.types import Receive, Scope, Send

from fornace.api import errors as api_errors
from fornace.api.middleware._base import HTTPMiddleware
from fornace.api.middleware._status import ResponseStatus

log = logging.getLogger("fornace.api")


class UnexpectedErrorMiddleware(HTTPMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        noted = ResponseStatus(send)
        try:
            await self.app(scope, receive, noted.send)
        except Exception as exc:
            request_id = scope.get("state", {}).get("request_id", "-")
            first_line = (str(exc).splitlines() or [""])[0][:300]
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("request %s failed: %s: %s\n%s", request_id, type(exc).__name__,
                      first_line, frames)
            if noted.started:
                raise
            response = api_errors.error_response(
                500, "the server hit an unexpected error; the request was not completed",
                hint=f"report request id {request_id} to the operator")
            await response(scope, receive, send)
