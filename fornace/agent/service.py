"""The agent: take plans from the instance queue, run them one at a time, send results.

For each message (see docs/agent.md):
1. with a verifier configured, a plan without a valid signature over
   ``queue name + body`` is refused (logged and dropped, as murano-agent did);
2. a plan whose ID already has a stored result is not run again: the stored
   result is sent again;
3. a plan with a ``Stamp`` not above the last accepted one is dropped (Murano);
4. otherwise it is written to the spool, and only then acknowledged.
Spooled plans run in order, each in its own process group with a timeout; the
result is stored, sent to the plan's ``ReplyTo`` (or the message's reply-to, or
the configured result queue) and marked sent. After a restart, unsent results
are sent and unfinished plans run again.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fornace.agent import _process
from fornace.agent.errors import AgentException, PlanTimeout
from fornace.agent.plan import validate_plan
from fornace.agent.result import from_error
from fornace.agent.store import PendingPlan, PlanStore
from fornace.bus import AgentMessage, BusUnavailable, MessageBus, PlanVerifier, open_bus

log = logging.getLogger(__name__)

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
DEFAULT_PLAN_TIMEOUT = 3600.0  # Murano's [engine] agent_timeout
RESULT_RETENTION = 7 * 24 * 3600.0  # how long a sent result still answers a redelivered plan


@dataclass(frozen=True)
class AgentConfig:
    bus_url: str
    queue: str
    work_dir: Path
    result_queue: str | None = None
    engine_key: Path | None = None  # the engine's public key; set = signatures required
    plan_timeout: float = DEFAULT_PLAN_TIMEOUT


class Agent:
    def __init__(self, config: AgentConfig,
                 bus_factory: Callable[[str], MessageBus] | None = None) -> None:
        self.config = config
        self.store = PlanStore(config.work_dir)
        self.verifier = PlanVerifier.from_file(config.engine_key) if config.engine_key else None
        self._bus_factory = bus_factory or (lambda url: open_bus(url))
        self._bus: MessageBus | None = None

    # -- main loop ---------------------------------------------------------------------
    def run(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        log.info("agent listening on queue %s", self.config.queue)
        self.kill_leftovers()
        self.store.prune(RESULT_RETENTION)
        delay = 1.0
        while not stop.is_set():
            try:
                bus = self._connected()
                self.send_unsent()
                self.run_pending()
                bus.consume_plans(self.config.queue, self.accept, max_messages=1, timeout=1.0,
                                  stop=stop)
                delay = 1.0
            except BusUnavailable as exc:
                log.warning("bus unavailable, retrying in %.0f s: %s", delay, exc)
                self._drop_bus()
                stop.wait(delay)
                delay = min(delay * 2, 60.0)
            except Exception:
                log.exception("agent loop error; continuing")
                stop.wait(1.0)
        self._drop_bus()
        log.info("agent stopped")

    def _connected(self) -> MessageBus:
        if self._bus is None:
            self._bus = self._bus_factory(self.config.bus_url)
            self._bus.declare_agent_queue(self.config.queue)
        return self._bus

    def _drop_bus(self) -> None:
        if self._bus is not None:
            try:
                self._bus.close()
            except Exception:  # closing a broken connection may fail in any way
                log.debug("error closing the bus", exc_info=True)
            self._bus = None

    # -- accepting a message -----------------------------------------------------------
    def accept(self, message: AgentMessage) -> None:
        """Handler of one plan message; returning means the message may be acked."""
        if self.verifier is not None and not self.verifier.verify(
                self.config.queue, message.body, message.signature):
            log.warning("refused plan message %s: %s signature", message.message_id,
                        "invalid" if message.signature else "missing")
            return
        try:
            plan = json.loads(message.body)
        except ValueError:
            log.error("dropped plan message %s: body is not JSON", message.message_id)
            return
        if not isinstance(plan, dict):
            log.error("dropped plan message %s: body is not a document", message.message_id)
            return
        plan_id = str(plan.get("ID") or message.message_id or "")
        if not _SAFE_ID.match(plan_id):
            log.error("dropped plan message: plan ID %r is missing or not a plain id", plan_id)
            return
        plan["ID"] = plan_id
        reply_to = plan.get("ReplyTo") or message.reply_to
        stored = self.store.result(plan_id)
        if stored is not None:
            log.info("plan %s was already executed; sending its stored result again", plan_id)
            self._send(plan_id, stored[0], reply_to if isinstance(reply_to, str) else stored[1])
            return
        if self.store.is_pending(plan_id):
            log.info("plan %s is already queued here", plan_id)
            return
        stamp = plan.get("Stamp", -1)
        if isinstance(stamp, int) and stamp >= 0:
            if stamp <= self.store.last_stamp():
                log.warning("dropped plan %s: stamp %d is not newer than the last one",
                            plan_id, stamp)
                return
            self.store.save_stamp(stamp)
        reply_to = reply_to or self.config.result_queue
        self.store.add_pending(plan, reply_to if isinstance(reply_to, str) else None)
        log.info("accepted plan %s", plan_id)

    # -- running -----------------------------------------------------------------------
    def kill_leftovers(self) -> None:
        """Kill plan processes a previous agent left running (it was killed mid-plan)."""
        for run_dir in self.store.run_dir.iterdir():
            try:
                pid = int((run_dir / "pid").read_text())
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except (OSError, ValueError):
                pid, cmdline = 0, b""
            if pid and b"fornace.agent.plan_process" in cmdline and \
                    str(run_dir).encode() in cmdline:
                log.warning("killing plan process %d left by a previous agent", pid)
                _process.kill_group(pid)
            pgids = run_dir / "pgids"
            if pgids.exists():
                for line in pgids.read_text().split():
                    _process.kill_group(int(line))
            shutil.rmtree(run_dir, ignore_errors=True)

    def run_pending(self) -> None:
        for pending in self.store.pending():
            result = self.execute(pending)
            self.store.save_result(pending, result)
            self._send(pending.plan_id, result, pending.reply_to)
            self.store.prune(RESULT_RETENTION)

    def send_unsent(self) -> None:
        for plan_id in self.store.unsent():
            stored = self.store.result(plan_id)
            if stored is not None:
                self._send(plan_id, stored[0], stored[1])

    def _send(self, plan_id: str, result: dict[str, Any], reply_to: str | None) -> None:
        if not reply_to:
            log.error("result of plan %s has nowhere to go: no ReplyTo and no result queue "
                      "configured", plan_id)
            self.store.mark_sent(plan_id)
            return
        self._connected().publish_agent_result(
            reply_to, AgentMessage(body=json.dumps(result).encode(), message_id=plan_id))
        self.store.mark_sent(plan_id)
        log.info("sent result of plan %s (ErrorCode %s) to %s", plan_id,
                 result.get("ErrorCode"), reply_to)

    def execute(self, pending: PendingPlan) -> dict[str, Any]:
        plan, plan_id = pending.plan, pending.plan_id
        try:
            validate_plan(plan)
        except AgentException as exc:
            log.warning("plan %s is invalid: %s", plan_id, exc)
            return from_error(exc, plan_id)
        timeout = float(plan.get("Timeout") or self.config.plan_timeout)
        run_dir = self.store.run_dir / plan_id
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(mode=0o700)
        (run_dir / "plan.json").write_text(json.dumps(plan))
        started = time.monotonic()
        log.info("running plan %s (timeout %g s)", plan_id, timeout)
        try:
            return self._run_process(run_dir, plan_id, timeout)
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)
            log.info("plan %s finished in %.1f s", plan_id, time.monotonic() - started)

    def _run_process(self, run_dir: Path, plan_id: str, timeout: float) -> dict[str, Any]:
        with open(run_dir / "runner.log", "wb") as runner_log:
            process = subprocess.Popen(
                [sys.executable, "-m", "fornace.agent.plan_process", str(run_dir)],
                stdin=subprocess.DEVNULL, stdout=runner_log, stderr=runner_log,
                start_new_session=True)
            (run_dir / "pid").write_text(str(process.pid))
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._kill_plan(process, run_dir)
                return from_error(PlanTimeout(
                    f"Execution plan {plan_id} timed out after {timeout:g} seconds and was "
                    "killed", {"timeout": timeout}), plan_id)
        outcome = run_dir / "outcome.json"
        if outcome.exists():
            return json.loads(outcome.read_text())  # type: ignore[no-any-return]
        tail = (run_dir / "runner.log").read_text(errors="replace")[-2000:]
        log.error("plan process of %s ended with %s and no outcome", plan_id, process.returncode)
        return from_error(AgentException(1, f"The process running plan {plan_id} ended with "
                                            f"code {process.returncode} and no result",
                                         {"log": tail}), plan_id)

    @staticmethod
    def _kill_plan(process: subprocess.Popen[bytes], run_dir: Path) -> None:
        _process.kill_group(process.pid)
        pgids = run_dir / "pgids"
        if pgids.exists():
            for line in pgids.read_text().split():
                _process.kill_group(int(line))
        process.wait()
