"""Errors of the message bus.

    FornaceError
     +-- ServiceUnavailable
     |    +-- BusUnavailable      the broker (or the spool folder) cannot be reached or used
     |    +-- RpcTimeout          nobody answered a call within its timeout
     +-- InvalidInput
     |    +-- InvalidMessage      a message body is not a valid bus message
     +-- RemoteError              the consumer of a call answered with an error
"""

from __future__ import annotations

from fornace.errors import FornaceError, InvalidInput, ServiceUnavailable

BROKER_HINT = (
    "check FORNACE_BUS_URL ({url}); start RabbitMQ (e.g. 'systemctl start rabbitmq-server' "
    "or 'docker run -d -p 5672:5672 rabbitmq:3'), or unset FORNACE_BUS_URL to use the "
    "embedded broker-less bus"
)


class BusUnavailable(ServiceUnavailable):
    reference = "bus-unavailable"


class RpcTimeout(ServiceUnavailable):
    reference = "rpc-timeout"


class InvalidMessage(InvalidInput):
    reference = "invalid-bus-message"


class RemoteError(FornaceError):
    """The other side handled the request and failed; ``reference`` is its error's reference."""

    reference = "remote-error"
