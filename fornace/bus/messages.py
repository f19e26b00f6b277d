"""Versioned bus messages (JSON bodies), named and shaped after Murano's.

Every body carries ``version`` (this module speaks 1) and ``kind``. The payloads
keep Murano's field names, so the task and result dictionaries are the ones
murano-api and murano-engine exchanged over oslo.messaging (reference:
murano-api.md §12). Agent traffic is not wrapped: plans and results travel as
Murano's raw JSON documents (:class:`AgentMessage`), so a real murano-agent
and a Fornace agent are interchangeable on RabbitMQ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from fornace.bus.errors import InvalidMessage

VERSION: Literal[1] = 1
B = TypeVar("B", bound=BaseModel)


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1] = VERSION


class TaskAction(_Payload):
    object_id: str
    method: str
    args: dict[str, Any] = Field(default_factory=dict)


class Task(_Payload):
    """Murano's ``handle_task`` task: ``action`` is null for a deletion."""

    id: str  # the environment id
    token: str | None = None
    project_id: str | None = None
    user_id: str | None = None
    action: TaskAction | None = None
    model: dict[str, Any] = Field(default_factory=dict)

    @property
    def kind(self) -> Literal["deploy", "delete", "action"]:
        if self.action is None:
            return "delete"
        return "deploy" if self.action.method == "deploy" else "action"


class StaticAction(_Payload):
    method: str
    args: dict[str, Any] = Field(default_factory=dict)
    class_name: str
    pkg_name: str | None = None
    class_version: str | None = None


class StaticTask(_Payload):
    id: str
    token: str | None = None
    project_id: str | None = None
    user_id: str | None = None
    action: StaticAction


class TaskMessage(_Message):
    """A deploy, delete or action task (Murano's ``handle_task`` cast)."""

    kind: Literal["task"] = "task"
    task: Task


class StaticActionRequest(_Message):
    """Murano's ``call_static_action``: answered through the caller's reply queue."""

    kind: Literal["static_action"] = "static_action"
    task: StaticTask


class SchemaRequest(_Message):
    """Murano's ``generate_schema``: answered through the caller's reply queue."""

    kind: Literal["schema"] = "schema"
    context: dict[str, Any] = Field(default_factory=dict)  # {"token", "project_id"}
    class_name: str
    method_names: list[str] | None = None
    class_version: str | None = None
    package_name: str | None = None


class RpcFault(_Payload):
    message: str
    reference: str = "remote-error"


class RpcReply(_Message):
    kind: Literal["reply"] = "reply"
    result: Any = None
    error: RpcFault | None = None


class ActionOutcome(_Payload):
    result: Any = None
    isException: bool = False


class EngineResult(_Payload):
    """Murano's ``process_result`` result: the new object model and the action's outcome."""

    model: dict[str, Any] | None = None
    action: ActionOutcome | None = None


class ResultMessage(_Message):
    kind: Literal["result"] = "result"
    environment_id: str
    result: EngineResult


class Report(_Payload):
    """Payload of ``murano.report_notification``."""

    id: str
    text: str
    details: str | None = None
    level: Literal["info", "warning", "error"] = "info"
    environment_id: str
    timestamp: str


class InstanceEvent(_Payload):
    """Payload of ``murano.track_instance`` / ``murano.untrack_instance``."""

    instance: str
    environment: str
    instance_type: int


class ReportMessage(_Message):
    kind: Literal["report"] = "report"
    event_type: Literal["murano.report_notification", "murano.track_instance",
                        "murano.untrack_instance"] = "murano.report_notification"
    payload: Report | InstanceEvent


RequestMessage = StaticActionRequest | SchemaRequest
TaskQueueMessage = Annotated[TaskMessage | StaticActionRequest | SchemaRequest,
                             Field(discriminator="kind")]

_task_queue = TypeAdapter(TaskQueueMessage)


def decode(body: bytes, model: type[_Message] | None = None) -> Any:
    """Parse a bus body; ``model=None`` means "something that goes on the task queue"."""
    try:
        if model is None:
            return _task_queue.validate_json(body)
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidMessage(
            f"not a valid {model.__name__ if model else 'task queue'} message: {exc}",
            hint="the sender speaks another message version or is not a Fornace component",
        ) from exc


def from_dict(model: type[B], data: Any) -> B:
    """Build ``model`` from a dict handed over in-process, with a clear error if it is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidMessage(f"cannot build a {model.__name__} from the given data: {exc}",
                             hint="pass Murano's field names (see murano-api.md section 12)") \
            from exc


def encode(message: _Message) -> bytes:
    return message.model_dump_json().encode()


@dataclass(frozen=True)
class AgentMessage:
    """A plan for an agent, or an agent's result: Murano's raw JSON plus AMQP properties.

    ``signature`` is RSA PKCS#1 v1.5 / SHA-256 over ``queue name + body`` (plans only).
    """

    body: bytes
    message_id: str | None = None
    reply_to: str | None = None
    signature: bytes | None = None
