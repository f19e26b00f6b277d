"""The message bus: typed operations over a transport.

Queues (``prefix`` defaults to ``fornace``):
- ``<prefix>.tasks``    tasks and synchronous requests, API -> engine (competing engines)
- ``<prefix>.results``  deployment results, engine -> API
- ``<prefix>.reports``  status reports and instance events, engine -> API
- ``<prefix>.reply.<uuid>``  one caller's replies (static actions, schemas)
- agent queues: any name (Murano's ``e<env id>-h<instance id>``), plans -> agent,
  and the result queue the agent answers on.

A handler's message is acknowledged only after the handler returned (and, for a
request, after its reply was published): a handler that raises, or a process
that dies, leaves the message to be delivered again. A bus object belongs to one
thread at a time.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fornace.bus._transport import Delivery, Outgoing, QueueKind, Transport
from fornace.bus.errors import BusUnavailable, InvalidMessage, RemoteError, RpcTimeout
from fornace.bus.messages import (
    AgentMessage,
    ReportMessage,
    RequestMessage,
    ResultMessage,
    RpcFault,
    RpcReply,
    TaskMessage,
    decode,
    encode,
)
from fornace.errors import FornaceError

log = logging.getLogger(__name__)

M = TypeVar("M")
SIGNATURE_HEADER = "signature"
_POLL = 1.0  # longest single wait, so ``stop`` is honoured promptly


class MessageBus:
    def __init__(self, transport: Transport, *, prefix: str = "fornace") -> None:
        self.transport = transport
        self.prefix = prefix
        self.tasks_queue = f"{prefix}.tasks"
        self.results_queue = f"{prefix}.results"
        self.reports_queue = f"{prefix}.reports"
        self._reply_queue: str | None = None

    # -- API -> engine -----------------------------------------------------------------
    def publish_task(self, message: TaskMessage) -> None:
        """Fire and forget: a deploy, delete or action task."""
        self._put(self.tasks_queue, QueueKind.WORK, Outgoing(encode(message),
                                                             message_id=message.task.id))

    def call(self, request: RequestMessage, timeout: float) -> Any:
        """Send a static action or schema request to an engine and wait for its answer.

        Raises RpcTimeout when no answer comes in ``timeout`` seconds and RemoteError
        when the engine answered with an error.
        """
        if self._reply_queue is None:
            self._reply_queue = f"{self.prefix}.reply.{uuid.uuid4().hex}"
            self.transport.declare(self._reply_queue, QueueKind.REPLY)
        correlation_id = uuid.uuid4().hex
        self._put(self.tasks_queue, QueueKind.WORK, Outgoing(
            encode(request), message_id=correlation_id, correlation_id=correlation_id,
            reply_to=self._reply_queue))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            delivery = self.transport.get(self._reply_queue, min(left, _POLL))
            if delivery is None:
                continue
            delivery.ack()
            if delivery.correlation_id != correlation_id:
                log.warning("dropped a late reply %s on %s", delivery.correlation_id,
                            self._reply_queue)
                continue
            reply: RpcReply = decode(delivery.body, RpcReply)
            if reply.error is not None:
                raise RemoteError(reply.error.message, reference=reply.error.reference)
            return reply.result
        raise RpcTimeout(
            f"no deployment engine answered the {request.kind} request within {timeout:g} s",
            hint="start 'fornace engine' with the same FORNACE_BUS_URL, or raise rpc_timeout",
        )

    def consume_tasks(self, handler: Callable[[Any], Any], **limits: Any) -> int:
        """Hand tasks and requests to ``handler``; a request's reply is its return value.

        A FornaceError raised for a request becomes an error reply (the request is
        answered and acked); any other exception requeues the message and propagates.
        """
        return self._consume(self.tasks_queue, QueueKind.WORK, lambda b: decode(b),
                             handler, reply=True, **limits)

    # -- engine -> API -----------------------------------------------------------------
    def publish_result(self, message: ResultMessage) -> None:
        self._put(self.results_queue, QueueKind.WORK,
                  Outgoing(encode(message), message_id=message.environment_id))

    def consume_results(self, handler: Callable[[ResultMessage], Any], **limits: Any) -> int:
        return self._consume(self.results_queue, QueueKind.WORK,
                             lambda b: decode(b, ResultMessage), handler, **limits)

    def publish_report(self, message: ReportMessage) -> None:
        self._put(self.reports_queue, QueueKind.WORK, Outgoing(encode(message)))

    def consume_reports(self, handler: Callable[[ReportMessage], Any], **limits: Any) -> int:
        return self._consume(self.reports_queue, QueueKind.WORK,
                             lambda b: decode(b, ReportMessage), handler, **limits)

    # -- engine <-> agents -------------------------------------------------------------
    def declare_agent_queue(self, queue: str) -> None:
        self.transport.declare(queue, QueueKind.AGENT)

    def send_plan(self, queue: str, message: AgentMessage) -> None:
        self._put(queue, QueueKind.AGENT, self._agent_outgoing(message))

    def consume_plans(self, queue: str, handler: Callable[[AgentMessage], Any],
                      **limits: Any) -> int:
        return self._consume(queue, QueueKind.AGENT, None, handler, **limits)

    def publish_agent_result(self, queue: str, message: AgentMessage) -> None:
        # Result queues are declared like Murano's AgentListener did (as instance queues),
        # so that either side may declare first.
        self._put(queue, QueueKind.AGENT, self._agent_outgoing(message))

    def consume_agent_results(self, queue: str, handler: Callable[[AgentMessage], Any],
                              **limits: Any) -> int:
        return self._consume(queue, QueueKind.AGENT, None, handler, **limits)

    def delete_queue(self, queue: str) -> None:
        self.transport.delete(queue)

    def close(self) -> None:
        if self._reply_queue is not None:
            try:
                self.transport.delete(self._reply_queue)
            except BusUnavailable:
                pass
            self._reply_queue = None
        self.transport.close()

    def __enter__(self) -> MessageBus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- insides -----------------------------------------------------------------------
    def _put(self, queue: str, kind: QueueKind, message: Outgoing) -> None:
        self.transport.declare(queue, kind)
        self.transport.put(queue, message)

    @staticmethod
    def _agent_outgoing(message: AgentMessage) -> Outgoing:
        headers = {SIGNATURE_HEADER: message.signature} if message.signature else {}
        return Outgoing(message.body, message_id=message.message_id,
                        reply_to=message.reply_to, headers=headers)

    def _consume(self, queue: str, kind: QueueKind, parse: Callable[[bytes], Any] | None,
                 handler: Callable[[Any], Any], *, reply: bool = False,
                 max_messages: int | None = None, timeout: float | None = None,
                 stop: threading.Event | None = None) -> int:
        """Deliver messages to ``handler`` until ``max_messages`` were handled,
        ``timeout`` seconds passed, or ``stop`` is set. Returns how many were handled."""
        self.transport.declare(queue, kind)
        deadline = None if timeout is None else time.monotonic() + timeout
        handled = 0
        while max_messages is None or handled < max_messages:
            if stop is not None and stop.is_set():
                break
            wait = _POLL if deadline is None else min(_POLL, deadline - time.monotonic())
            if wait <= 0:
                break
            delivery = self.transport.get(queue, wait)
            if delivery is None:
                continue
            self._handle(queue, delivery, parse, handler, reply)
            handled += 1
        return handled

    def _handle(self, queue: str, delivery: Delivery, parse: Callable[[bytes], Any] | None,
                handler: Callable[[Any], Any], reply: bool) -> None:
        if parse is None:
            signature = delivery.headers.get(SIGNATURE_HEADER)
            message: Any = AgentMessage(
                body=delivery.body, message_id=delivery.message_id, reply_to=delivery.reply_to,
                signature=signature.encode() if isinstance(signature, str) else signature)
        else:
            try:
                message = parse(delivery.body)
            except InvalidMessage as exc:
                # A body no consumer can read would come back forever: drop it, loudly.
                log.error("dropped an unreadable message from %s: %s", queue, exc)
                delivery.ack()
                return
        answer_to = delivery.reply_to if reply else None
        try:
            result = handler(message)
        except FornaceError as exc:
            if answer_to is None:
                delivery.requeue()
                raise
            self._reply(answer_to, delivery, RpcReply(
                error=RpcFault(message=exc.message, reference=exc.reference)))
        except BaseException:
            delivery.requeue()
            raise
        else:
            if answer_to is not None:
                self._reply(answer_to, delivery, RpcReply(result=result))
        delivery.ack()

    def _reply(self, queue: str, delivery: Delivery, reply: RpcReply) -> None:
        # Reply queues belong to their caller; never declare them from this side.
        self.transport.put(queue, Outgoing(encode(reply), correlation_id=delivery.correlation_id))


def open_bus(url: str | None = None, *, data_dir: Path | None = None,
             prefix: str = "fornace") -> MessageBus:
    """Connect to the bus named by ``url``.

    ``amqp://...`` (or any kombu URL) means RabbitMQ; ``spool:///folder`` the
    broker-less bus in that folder; empty means the broker-less bus in
    ``<data_dir>/bus``. Raises BusUnavailable when it cannot be reached.
    """
    from fornace.bus.spool import SCHEME, SpoolTransport, spool_folder

    if not url:
        if data_dir is None:
            raise BusUnavailable("no bus URL and no data folder given",
                                 hint="set FORNACE_BUS_URL or FORNACE_DATA_DIR")
        return MessageBus(SpoolTransport(Path(data_dir) / "bus"), prefix=prefix)
    if url.startswith(f"{SCHEME}:"):
        return MessageBus(SpoolTransport(spool_folder(url)), prefix=prefix)
    from fornace.bus.kombu_bus import KombuTransport

    return MessageBus(KombuTransport(url), prefix=prefix)
