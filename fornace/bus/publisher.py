"""The API's TaskPublisher (fornace.api.publisher) on the bus.

The API serves requests from a pool of threads and a bus object belongs to one
thread, so each thread gets its own connection, opened on first use and opened
again after the bus failed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fornace.bus.bus import MessageBus, open_bus
from fornace.bus.errors import BusUnavailable
from fornace.bus.messages import (
    SchemaRequest,
    StaticActionRequest,
    StaticTask,
    Task,
    TaskMessage,
    from_dict,
)


class BusTaskPublisher:
    def __init__(self, url: str | None, *, data_dir: Path | None = None,
                 prefix: str = "fornace") -> None:
        self._url, self._data_dir, self._prefix = url, data_dir, prefix
        self._local = threading.local()
        self._opened: list[MessageBus] = []
        self._lock = threading.Lock()

    def _bus(self) -> MessageBus:
        bus: MessageBus | None = getattr(self._local, "bus", None)
        if bus is None:
            bus = open_bus(self._url, data_dir=self._data_dir, prefix=self._prefix)
            self._local.bus = bus
            with self._lock:
                self._opened.append(bus)
        return bus

    def _forget(self) -> None:
        bus = getattr(self._local, "bus", None)
        self._local.bus = None
        if bus is not None:
            with self._lock:
                if bus in self._opened:
                    self._opened.remove(bus)
            try:
                bus.close()
            except BusUnavailable:
                pass

    def publish_task(self, task: dict[str, Any]) -> None:
        message = TaskMessage(task=from_dict(Task, task))
        try:
            self._bus().publish_task(message)
        except BusUnavailable:
            self._forget()
            raise

    def call_static_action(self, task: dict[str, Any], timeout: float) -> Any:
        return self._call(StaticActionRequest(task=from_dict(StaticTask, task)), timeout)

    def generate_schema(self, request: dict[str, Any], timeout: float) -> Any:
        request = dict(request)
        context = dict(request.pop("context", None) or {})
        for key in ("token", "project_id"):  # the API passes Murano's ctxt keys inline
            if key in request:
                context[key] = request.pop(key)
        return self._call(from_dict(SchemaRequest, {**request, "context": context}), timeout)

    def _call(self, request: StaticActionRequest | SchemaRequest, timeout: float) -> Any:
        try:
            return self._bus().call(request, timeout)
        except BusUnavailable:
            self._forget()
            raise

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for bus in opened:
            try:
                bus.close()
            except BusUnavailable:
                pass
