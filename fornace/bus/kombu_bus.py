# kombu ships no complete type hints:
# mypy: disable-error-code="no-untyped-call,attr-defined,name-defined"
"""The RabbitMQ transport: the only module of Fornace that imports kombu.

Queues are durable, messages persistent (delivery mode 2), published on the
default exchange with the queue name as routing key (as Murano does for agents).
``get`` consumes with prefetch 1 and manual ack, and cancels its consumer as soon
as it holds a message, so an idle caller never keeps a second message hostage.
Every kombu/amqp/socket error leaves this module as :class:`BusUnavailable`.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import amqp.exceptions
import kombu
import kombu.exceptions

from fornace.bus._transport import Outgoing, QueueKind
from fornace.bus.errors import BROKER_HINT, BusUnavailable

AGENT_QUEUE_EXPIRES_MS = 24 * 3600 * 1000  # Murano's x-expires for instance queues
REPLY_QUEUE_EXPIRES_MS = 10 * 60 * 1000
_ERRORS: tuple[type[BaseException], ...] = (
    kombu.exceptions.KombuError, amqp.exceptions.AMQPError, OSError, socket.timeout,
)


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class KombuDelivery:
    def __init__(self, message: Any, url: str) -> None:
        self._url = url
        props = message.properties
        self._message = message
        self.body: bytes = message.body if isinstance(message.body, bytes) else \
            str(message.body).encode()
        self.message_id: str | None = props.get("message_id")
        self.correlation_id: str | None = props.get("correlation_id")
        self.reply_to: str | None = props.get("reply_to")
        self.headers: Mapping[str, str | bytes] = dict(message.headers or {})
        self.redelivered = bool(message.delivery_info.get("redelivered"))

    def ack(self) -> None:
        with _mapped("acknowledge a message", self._url):
            self._message.ack()

    def requeue(self) -> None:
        with _mapped("requeue a message", self._url):
            self._message.requeue()


@contextmanager
def _mapped(doing: str, url: str) -> Iterator[None]:
    try:
        yield
    except BusUnavailable:
        raise
    except _ERRORS as exc:
        where = safe_url(url)
        raise BusUnavailable(
            f"message bus at {where} failed to {doing}: {exc or type(exc).__name__}",
            hint=BROKER_HINT.format(url=where),
        ) from exc


class KombuTransport:
    def __init__(self, url: str, *, connect_timeout: float = 5.0) -> None:
        self.url = url
        self._declared: dict[str, QueueKind] = {}
        with _mapped("connect", url):
            self._connection = kombu.Connection(url, connect_timeout=connect_timeout,
                                                heartbeat=0)
            self._connection.connect()
            self._channel = self._connection.channel()
            self._channel.basic_qos(prefetch_size=0, prefetch_count=1, a_global=False)

    def _queue(self, name: str, kind: QueueKind) -> kombu.Queue:
        arguments: dict[str, Any] = {}
        if kind is QueueKind.AGENT:
            arguments["x-expires"] = AGENT_QUEUE_EXPIRES_MS
        elif kind is QueueKind.REPLY:
            # Not exclusive: kombu makes exclusive queues auto-delete, and the consumer
            # is cancelled after each get. An abandoned reply queue expires instead.
            arguments["x-expires"] = REPLY_QUEUE_EXPIRES_MS
        return kombu.Queue(
            name, exchange=kombu.Exchange(""), routing_key=name,
            durable=kind is not QueueKind.REPLY, auto_delete=False,
            queue_arguments=arguments or None,
            channel=self._channel,
        )

    def declare(self, queue: str, kind: QueueKind) -> None:
        if self._declared.get(queue) is kind:
            return
        with _mapped(f"declare queue {queue}", self.url):
            self._queue(queue, kind).declare()
        self._declared[queue] = kind

    def put(self, queue: str, message: Outgoing) -> None:
        with _mapped(f"publish to {queue}", self.url):
            producer = kombu.Producer(self._channel)
            producer.publish(
                message.body, exchange="", routing_key=queue, serializer=None,
                content_type="application/json", content_encoding="utf-8",
                delivery_mode=2, message_id=message.message_id,
                correlation_id=message.correlation_id, reply_to=message.reply_to,
                headers=dict(message.headers) or None, retry=False,
            )

    def get(self, queue: str, timeout: float) -> KombuDelivery | None:
        kind = self._declared.get(queue, QueueKind.WORK)
        received: list[Any] = []
        deadline = time.monotonic() + max(timeout, 0.0)
        with _mapped(f"consume from {queue}", self.url):
            consumer = kombu.Consumer(self._channel, queues=[self._queue(queue, kind)],
                                      on_message=received.append, auto_declare=False,
                                      no_ack=False)
            consumer.consume()
            try:
                while not received:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    try:
                        self._connection.drain_events(timeout=left)
                    except TimeoutError:
                        break
            finally:
                consumer.cancel()
        if not received:
            return None
        # Prefetch 1 means at most one delivery; anything else goes straight back.
        for extra in received[1:]:
            extra.requeue()
        return KombuDelivery(received[0], self.url)

    def delete(self, queue: str) -> None:
        with _mapped(f"delete queue {queue}", self.url):
            self._channel.queue_delete(queue)
        self._declared.pop(queue, None)

    def close(self) -> None:
        try:
            self._connection.release()
        except _ERRORS:
            pass
