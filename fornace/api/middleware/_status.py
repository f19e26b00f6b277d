"""Note the status an ASGI app answers with (500 until it starts a response)."""

from __future__ import annotations

from starlette.types import Message, Send


class ResponseStatus:
    def __init__(self, send: Send) -> None:
        self.status = 500
        self._send = send

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self._send(message)
