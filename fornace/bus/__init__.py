"""One messaging interface for the API, the engines and the agents.

``open_bus(url)`` gives a :class:`Bus`: RabbitMQ for ``amqp://...`` URLs, the
broker-less spool for ``spool:///folder`` or an empty URL (``<data_dir>/bus``).
See docs/bus.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from fornace.bus.agent_client import (
    AgentClient,
    AgentError,
    AgentTimeout,
    agent_queue_name,
    decode_result,
)
from fornace.bus.bus import MessageBus, open_bus
from fornace.bus.errors import BusUnavailable, InvalidMessage, RemoteError, RpcTimeout
from fornace.bus.messages import (
    ActionOutcome,
    AgentMessage,
    EngineResult,
    InstanceEvent,
    Report,
    ReportMessage,
    RequestMessage,
    ResultMessage,
    RpcReply,
    SchemaRequest,
    StaticAction,
    StaticActionRequest,
    StaticTask,
    Task,
    TaskAction,
    TaskMessage,
)
from fornace.bus.publisher import BusTaskPublisher
from fornace.bus.signing import PlanSigner, PlanVerifier
from fornace.bus.spool import spool_url


class Bus(Protocol):
    """What the API, the engine and the agents call. ``**limits`` of the consume_*
    methods: ``max_messages: int``, ``timeout: float`` (s), ``stop: threading.Event``."""

    tasks_queue: str
    results_queue: str
    reports_queue: str

    def publish_task(self, message: TaskMessage) -> None: ...

    def call(self, request: RequestMessage, timeout: float) -> Any: ...

    def consume_tasks(self, handler: Callable[[Any], Any], *, max_messages: int | None = None,
                      timeout: float | None = None,
                      stop: threading.Event | None = None) -> int: ...

    def publish_result(self, message: ResultMessage) -> None: ...

    def consume_results(self, handler: Callable[[ResultMessage], Any], **limits: Any) -> int: ...

    def publish_report(self, message: ReportMessage) -> None: ...

    def consume_reports(self, handler: Callable[[ReportMessage], Any], **limits: Any) -> int: ...

    def declare_agent_queue(self, queue: str) -> None: ...

    def send_plan(self, queue: str, message: AgentMessage) -> None: ...

    def consume_plans(self, queue: str, handler: Callable[[AgentMessage], Any],
                      **limits: Any) -> int: ...

    def publish_agent_result(self, queue: str, message: AgentMessage) -> None: ...

    def consume_agent_results(self, queue: str, handler: Callable[[AgentMessage], Any],
                              **limits: Any) -> int: ...

    def delete_queue(self, queue: str) -> None: ...

    def close(self) -> None: ...


__all__ = [
    "ActionOutcome", "AgentClient", "AgentError", "AgentMessage", "AgentTimeout", "Bus",
    "BusTaskPublisher", "BusUnavailable", "EngineResult", "InstanceEvent", "InvalidMessage",
    "MessageBus", "PlanSigner", "PlanVerifier", "RemoteError", "Report", "ReportMessage",
    "RequestMessage", "ResultMessage", "RpcReply", "RpcTimeout", "SchemaRequest",
    "StaticAction", "StaticActionRequest", "StaticTask", "Task", "TaskAction", "TaskMessage",
    "agent_queue_name", "decode_result", "open_bus", "spool_url",
]
