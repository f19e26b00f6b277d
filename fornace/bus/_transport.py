"""The seam under the bus: queues that hold raw messages until they are acknowledged.

A transport moves bytes; :mod:`fornace.bus.bus` gives them meaning. Two exist:
``kombu_bus.KombuTransport`` (RabbitMQ) and ``spool.SpoolTransport`` (broker-less).
A transport object belongs to one thread at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class QueueKind(StrEnum):
    WORK = "work"    # durable, shared by competing consumers (tasks, results, reports)
    AGENT = "agent"  # durable, expires after a day unused: instance and agent result queues
    REPLY = "reply"  # private to one caller, gone with it


@dataclass(frozen=True)
class Outgoing:
    body: bytes
    message_id: str | None = None
    correlation_id: str | None = None
    reply_to: str | None = None
    headers: Mapping[str, str | bytes] = field(default_factory=dict)


class Delivery(Protocol):
    """A received message: invisible to other consumers until acked (gone) or requeued."""

    body: bytes
    message_id: str | None
    correlation_id: str | None
    reply_to: str | None
    headers: Mapping[str, str | bytes]

    def ack(self) -> None: ...

    def requeue(self) -> None: ...


class Transport(Protocol):
    def declare(self, queue: str, kind: QueueKind) -> None: ...

    def put(self, queue: str, message: Outgoing) -> None: ...

    def get(self, queue: str, timeout: float) -> Delivery | None: ...

    def delete(self, queue: str) -> None: ...

    def close(self) -> None: ...
