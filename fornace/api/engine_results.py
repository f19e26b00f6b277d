"""The API side of engine traffic: a thread storing results and reports from the bus.

A result is stored (``process_result``) in one DB transaction and only then
acked, so an API process that dies leaves it for the next one. Results are
applied once: the engine puts the task id in the result, and a result for a
task that is already finished (a redelivery) is dropped. Before a result is
stored, the reports already on the bus are stored, so a deployment's last
reports land before its "Deployment finished" line and count in its state.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from fornace.api.results import process_result, store_report
from fornace.bus import MessageBus, ReportMessage, ResultMessage, open_bus
from fornace.db.models import Task
from fornace.db.session import transaction
from fornace.errors import InvalidInput

log = logging.getLogger(__name__)


class EngineResultConsumer:
    def __init__(self, sessions: sessionmaker[Session], bus_url: str | None, *,
                 data_dir: Path | None = None, prefix: str = "fornace"):
        self._sessions = sessions
        self._bus_args: dict[str, Any] = {"data_dir": data_dir, "prefix": prefix}
        self._url = bus_url
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._drain_bus: MessageBus | None = None

    def start(self) -> None:
        self._stop.clear()
        for name, target in (("api-results", self._results_loop),
                             ("api-reports", self._reports_loop)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    # -- loops (each thread owns its buses) ----------------------------------------------
    def _loop(self, consume: str, handler: Any) -> None:
        bus: MessageBus | None = None
        while not self._stop.is_set():
            try:
                bus = bus or open_bus(self._url, **self._bus_args)
                getattr(bus, consume)(handler, stop=self._stop)
            except Exception as exc:  # noqa: BLE001 - DB or bus outage: retry
                log.error("%s: %s: %s", consume, type(exc).__name__, exc)
                if bus is not None:
                    try:
                        bus.close()
                    except Exception:  # noqa: BLE001
                        pass
                bus = None
                self._stop.wait(1.0)
        if bus is not None:
            bus.close()

    def _results_loop(self) -> None:
        try:
            self._loop("consume_results", self.handle_result)
        finally:
            if self._drain_bus is not None:
                self._drain_bus.close()

    def _reports_loop(self) -> None:
        self._loop("consume_reports", self.handle_report)

    # -- handlers ----------------------------------------------------------------------
    def handle_report(self, message: ReportMessage) -> None:
        try:
            with transaction(self._sessions) as db:
                _store(db, message.event_type, message.payload.model_dump())
        except InvalidInput as exc:
            log.error("dropped an invalid report: %s", exc)

    def _drain_reports(self) -> None:
        if self._drain_bus is None:
            self._drain_bus = open_bus(self._url, **self._bus_args)
        while self._drain_bus.consume_reports(self.handle_report, timeout=0.005) > 0:
            pass

    def handle_result(self, message: ResultMessage) -> None:
        self._drain_reports()
        result = message.result.model_dump()
        task_id = result.pop("task_id", None)
        reports = result.pop("reports", None) or []
        try:
            with transaction(self._sessions) as db:
                if task_id is not None:
                    task = db.get(Task, task_id)
                    if task is None or task.finished is not None:
                        log.info("result of task %s dropped: %s", task_id,
                                 "already applied" if task else "no such task")
                        return
                for report in reports:  # the ones the engine had not streamed yet
                    try:
                        _store(db, report.get("event_type"), report.get("payload") or {})
                    except (InvalidInput, AttributeError) as exc:
                        log.error("dropped an invalid report of task %s: %s", task_id, exc)
                process_result(db, message.environment_id, result)
        except InvalidInput as exc:
            log.error("dropped an invalid result for environment %s: %s",
                      message.environment_id, exc)


def _store(db: Session, event_type: str | None, payload: dict[str, Any]) -> None:
    if event_type not in (None, "murano.report_notification"):
        log.debug("instance event %s ignored", event_type)
        return
    store_report(db, payload)
