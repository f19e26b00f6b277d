"""Engine side of the agent protocol: send a plan to an instance queue, wait for its result.

``io.murano.system.Agent`` builds the plan (ID, Stamp, Files) and calls
:meth:`AgentClient.call`; :func:`decode_result` turns the agent's answer into
a value or an :class:`AgentError`, with Murano's v1 and v2 rules.

One AgentClient may serve many threads: sending and draining the result queue
happen under one lock, and results are matched to their waiters by ``SourceID``
(falling back to the message id), as Murano's AgentListener did.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
import time
import uuid
from typing import Any

from fornace.bus.bus import MessageBus
from fornace.bus.messages import AgentMessage
from fornace.bus.signing import PlanSigner
from fornace.errors import FornaceError

log = logging.getLogger(__name__)


class AgentError(FornaceError):
    """The agent ran the plan and reported a failure; ``info`` is Murano's error dict."""

    reference = "agent-error"

    def __init__(self, info: dict[str, Any]) -> None:
        super().__init__(str(info.get("message") or info))
        self.info = info


class AgentTimeout(FornaceError):
    reference = "agent-timeout"


def agent_queue_name(environment_id: str, instance_id: str) -> str:
    """Murano's input queue of an instance's agent."""
    return f"e{environment_id}-h{instance_id}".lower()


class AgentClient:
    def __init__(self, bus: MessageBus, result_queue: str,
                 signer: PlanSigner | None = None) -> None:
        self.bus = bus
        self.result_queue = result_queue
        self.signer = signer
        self._lock = threading.Lock()
        self._waiting: set[str] = set()
        self._results: dict[str, dict[str, Any]] = {}

    def send(self, queue: str, plan: dict[str, Any]) -> str:
        """Publish ``plan`` without waiting; returns the plan id."""
        with self._lock:
            return self._send(queue, plan)

    def call(self, queue: str, plan: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Publish ``plan`` and return the agent's raw result document.

        Raises AgentTimeout (Murano's words) when nothing comes back in ``timeout`` s.
        """
        with self._lock:
            plan_id = str(plan.get("ID") or uuid.uuid4().hex)
            self._waiting.add(plan_id)
            self._send(queue, {**plan, "ID": plan_id})
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if plan_id in self._results:
                    self._waiting.discard(plan_id)
                    return self._results.pop(plan_id)
                left = deadline - time.monotonic()
                if left <= 0:
                    self._waiting.discard(plan_id)
                    raise AgentTimeout(
                        f"The murano-agent did not respond within {timeout:g} seconds",
                        hint=f"check that the agent of queue {queue} runs and reaches the bus")
                self.bus.consume_agent_results(self.result_queue, self._store,
                                               max_messages=1, timeout=min(left, 0.5))

    def wait_ready(self, queue: str, timeout: float = 100) -> None:
        """Murano's ``waitReady``: a trivial plan answered means the agent is up.

        Murano's template omitted ``Files``, which its own agent then refused (code 2);
        this one carries it, so a ready agent answers with success.
        """
        decode_result(self.call(queue, {"FormatVersion": "2.0.0", "Body": "return",
                                        "Scripts": {}, "Files": {}}, timeout))

    def is_ready(self, queue: str, timeout: float = 100) -> bool:
        try:
            self.wait_ready(queue, timeout)
        except AgentTimeout:
            return False
        return True

    def _send(self, queue: str, plan: dict[str, Any]) -> str:
        plan_id = str(plan.get("ID") or uuid.uuid4().hex)
        body = json.dumps(plan).encode()
        signature = self.signer.sign(queue, body) if self.signer else None
        self.bus.send_plan(queue, AgentMessage(body=body, message_id=plan_id,
                                               reply_to=self.result_queue, signature=signature))
        log.info("sent execution plan %s to %s", plan_id, queue)
        return plan_id

    def _store(self, message: AgentMessage) -> None:
        try:
            result = json.loads(message.body)
        except ValueError:
            log.error("dropped an unreadable agent result on %s", self.result_queue)
            return
        if not isinstance(result, dict):
            log.error("dropped an agent result that is not a document on %s", self.result_queue)
            return
        source = str(result.get("SourceID") or message.message_id or "")
        if source in self._waiting:
            self._results[source] = result
        else:
            log.warning("dropped agent result for %s: nobody waits for it", source)


def decode_result(result: dict[str, Any] | None) -> Any:
    """A result document's value, or AgentError with Murano's error structure."""
    if not result:
        return None
    if str(result.get("FormatVersion", "1.0.0")).startswith("1."):
        return _decode_v1(result)
    error_code = result.get("ErrorCode", 0)
    if not error_code:
        return result.get("Body")
    body = dict(result.get("Body") or {})
    info = {"message": body.pop("Message", None), "details": body.pop("AdditionalInfo", None),
            "errorCode": error_code, "time": result.get("Time")}
    info["extra"] = body or None
    raise AgentError(info)


def _decode_v1(result: dict[str, Any]) -> Any:
    def exception_info(data: list[Any] | None, source: str) -> dict[str, Any]:
        data = list(data or [])
        data += [None] * (4 - len(data))
        return {"type": data[0], "message": data[1], "command": data[2], "details": data[3],
                "timestamp": datetime.datetime.now().isoformat(), "source": source}

    if result.get("IsException"):
        raise AgentError(exception_info(result.get("Result"), "execution_plan"))
    results = result.get("Result") or []
    if not results:
        return None
    last = results[-1]
    if last.get("IsException"):
        raise AgentError(exception_info(last.get("Result"), "command"))
    return last.get("Result")
