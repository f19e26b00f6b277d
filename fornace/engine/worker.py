"""The engine worker: takes tasks from the bus, runs them, publishes reports and results.

Order of a task (docs/engine.md): claim the environment's lease (fencing), run,
publish every report, publish the result, mark the lease done, then return so
the bus acks the task. A crash anywhere before the ack leaves the task on the
bus; its redelivery finds the lease and is dropped (result already sent) or
finished as a clean failure (the engine that ran it died).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fornace.bus import (
    MessageBus,
    Report,
    ReportMessage,
    ResultMessage,
    SchemaRequest,
    StaticActionRequest,
    TaskMessage,
    open_bus,
)
from fornace.bus.messages import EngineResult, InstanceEvent
from fornace.dsl.errors import (
    ContractViolationException,
    DslError,
    MethodNotExposed,
    NoClassFound,
    NoMatchingMethodException,
    NoMethodFound,
    NoPackageFound,
)
from fornace.engine import lease
from fornace.engine.errors import EngineError
from fornace.engine.execution import (
    EngineContext,
    execute_static_action,
    execute_task,
    generate_schema,
    report_payload,
)

log = logging.getLogger(__name__)

ORPHANED_TEXT = ("The engine running this deployment stopped before it finished (its lease "
                 "expired), so the deployment was not completed and was not run again. "
                 "Deploy the environment again to finish it.")


def engine_id() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ReportPump:
    """Streams reports from any thread through one bus of its own, in order.

    A report is published once it is ``delay`` seconds old; the ones still
    pending when the task ends are taken by :meth:`take_pending` and travel
    inside the result message (one bus message instead of many for short tasks).
    """

    def __init__(self, open_: Callable[[], MessageBus], delay: float = 0.5):
        self._open = open_
        self._delay = delay
        self._pending: deque[tuple[float, ReportMessage]] = deque()
        self._cond = threading.Condition()
        self._closing = False
        self._bus: MessageBus | None = None
        self._thread = threading.Thread(target=self._run, name="engine-reports", daemon=True)
        self._thread.start()

    def report(self, payload: dict[str, Any]) -> None:
        self._add(ReportMessage(payload=Report(**payload)))

    def notify(self, event_type: str, payload: dict[str, Any]) -> None:
        self._add(ReportMessage(event_type=event_type,  # type: ignore[arg-type]
                                payload=InstanceEvent(**payload)))

    def _add(self, message: ReportMessage) -> None:
        with self._cond:
            self._pending.append((time.monotonic() + self._delay, message))
            self._cond.notify()

    def take_pending(self) -> list[ReportMessage]:
        """What is not published yet (after any publish under way), in order."""
        with self._cond:
            taken = [message for _due, message in self._pending]
            self._pending.clear()
            return taken

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with self._cond:
            while not self._closing:
                if not self._pending:
                    self._cond.wait()
                    continue
                due, message = self._pending[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                if self._publish(message):
                    self._pending.popleft()
                else:  # keep it: it goes out later or inside the result
                    self._cond.wait(1.0)
        if self._bus is not None:
            self._bus.close()

    def _publish(self, message: ReportMessage) -> bool:
        try:
            self._bus = self._bus or self._open()
            self._bus.publish_report(message)
            return True
        except Exception as exc:  # noqa: BLE001 - the bus may come back
            log.warning("could not publish a report: %s", exc)
            if self._bus is not None:
                try:
                    self._bus.close()
                except Exception:  # noqa: BLE001
                    pass
            self._bus = None
            return False


class Heartbeat:
    """Renews a lease every third of its time-to-live while a task runs."""

    def __init__(self, renew: Callable[[], bool], interval: float):
        self._renew, self._interval = renew, interval
        self._stop = threading.Event()
        self.lost = False
        self._thread = threading.Thread(target=self._run, name="engine-lease", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                if not self._renew():
                    self.lost = True
                    log.error("lost the environment lease while a task was running")
                    return
            except Exception as exc:  # noqa: BLE001 - the DB may come back before expiry
                log.warning("could not renew the environment lease: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class EngineWorker:
    """One consumer of the task queue (``fornace engine`` runs one or more)."""

    def __init__(self, context: EngineContext, *, bus_url: str | None,
                 data_dir: Path | None = None, prefix: str = "fornace",
                 lease_seconds: float = 30.0, lease_poll: float = 0.5,
                 report_delay: float = 0.5):
        self.context = context
        self.bus_url, self.data_dir, self.prefix = bus_url, data_dir, prefix
        self.lease_seconds = lease_seconds
        self.lease_poll = lease_poll
        self.report_delay = report_delay
        self.id = engine_id()
        self._stop = threading.Event()
        self._bus: MessageBus | None = None
        self._pump: ReportPump | None = None

    def open_bus(self) -> MessageBus:
        return open_bus(self.bus_url, data_dir=self.data_dir, prefix=self.prefix)

    def run(self, stop: threading.Event | None = None) -> None:
        """Consume until ``stop`` is set; bus outages are retried."""
        self._stop = stop or threading.Event()
        self._pump = ReportPump(self.open_bus, self.report_delay)
        log.info("engine %s consuming tasks (prefix %s)", self.id, self.prefix)
        try:
            while not self._stop.is_set():
                try:
                    self._bus = self._bus or self.open_bus()
                    self._bus.consume_tasks(self.handle, stop=self._stop)
                except Exception as exc:  # noqa: BLE001 - log, reconnect, go on
                    log.error("engine %s: %s: %s", self.id, type(exc).__name__, exc)
                    self._drop_bus()
                    self._stop.wait(1.0)
        finally:
            self._drop_bus()
            self._pump.close()

    def _drop_bus(self) -> None:
        if self._bus is not None:
            try:
                self._bus.close()
            except Exception:  # noqa: BLE001
                pass
            self._bus = None

    # -- handlers ----------------------------------------------------------------------
    def handle(self, message: Any) -> Any:
        if isinstance(message, TaskMessage):
            self.handle_task(message.task.model_dump())
            return None
        try:
            if isinstance(message, StaticActionRequest):
                return execute_static_action(self.context, message.task.model_dump())
            if isinstance(message, SchemaRequest):
                return generate_schema(self.context, message.model_dump())
        except DslError as exc:
            raise request_error(exc) from exc
        raise TypeError(f"unexpected message {type(message).__name__}")

    def handle_task(self, task: dict[str, Any]) -> None:
        environment_id, task_id = task["id"], task.get("task_id")
        started = time.perf_counter()
        claim = self._claim(environment_id, task_id)
        claimed = time.perf_counter()
        if claim in (lease.Claim.FINISHED, lease.Claim.GONE):
            log.info("task %s of environment %s dropped: %s", task_id, environment_id,
                     claim.value)
            return
        sessions = self.context.sessions
        heartbeat = Heartbeat(
            lambda: lease.renew(sessions, environment_id, self.id, self.lease_seconds),
            self.lease_seconds / 3)
        assert self._pump is not None
        try:
            if claim is lease.Claim.ORPHANED:
                log.warning("task %s of environment %s was started by an engine that died; "
                            "finishing it as a failure", task_id, environment_id)
                result = orphaned_result(task, self._pump.report)
            else:
                log.info("task %s of environment %s: %s", task_id, environment_id,
                         (task.get("action") or {}).get("method", "deletion"))
                result = execute_task(self.context, task, self._pump.report,
                                      notify=self._pump.notify)
            pending = self._pump.take_pending()
            if heartbeat.lost or not lease.holds(sessions, environment_id, self.id):
                log.error("task %s of environment %s: result dropped, another engine took "
                          "over the environment", task_id, environment_id)
                return
            result["task_id"] = task_id
            result["reports"] = [m.model_dump() for m in pending]
            ran = time.perf_counter()
            assert self._bus is not None
            self._bus.publish_result(ResultMessage(environment_id=environment_id,
                                                   result=EngineResult(**result)))
        finally:
            heartbeat.stop()
        deleted = (result["model"].get("Objects") is None and "ObjectsCopy" in result["model"]
                   and result["model"]["ObjectsCopy"] is None)
        lease.release(sessions, environment_id, self.id, forget=deleted)
        log.info("task %s of environment %s done: claim %.0f ms, run %.0f ms, result %.0f ms",
                 task_id, environment_id, (claimed - started) * 1000, (ran - claimed) * 1000,
                 (time.perf_counter() - ran) * 1000)

    def _claim(self, environment_id: str, task_id: str | None) -> lease.Claim:
        waited = False
        while True:
            claim = lease.claim(self.context.sessions, environment_id, task_id, self.id,
                                self.lease_seconds)
            if claim is not lease.Claim.BUSY:
                return claim
            if not waited:
                log.info("environment %s is busy in another engine; waiting", environment_id)
                waited = True
            if self._stop.wait(self.lease_poll):
                raise InterruptedError("engine stopping while waiting for an environment")


_NOT_FOUND = (NoClassFound, NoMethodFound, NoPackageFound, MethodNotExposed,
              NoMatchingMethodException)


def request_error(exc: DslError) -> EngineError:
    """A static action's or schema's failure, as the error reply the API maps (§7.4):
    reference ``not-found`` (404), ``invalid-input`` (400) or ``muranopl-error``."""
    if isinstance(exc, _NOT_FOUND):
        reference = "not-found"
    elif isinstance(exc, ContractViolationException):
        reference = "invalid-input"
    else:
        reference = "muranopl-error"
    return EngineError(str(exc), reference=reference)


def orphaned_result(task: dict[str, Any], report: Callable[[dict[str, Any]], None]) \
        -> dict[str, Any]:
    """A clean failure for a task whose first engine died: the model as it was sent."""
    environment_id = task["id"]
    report(report_payload(environment_id, ORPHANED_TEXT, level="error"))
    model = dict(task.get("model") or {})
    return {"model": model,
            "action": {"isException": True,
                       "result": {"message": ORPHANED_TEXT, "details": ORPHANED_TEXT}}}
