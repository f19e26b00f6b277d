"""The agent runs as a real subprocess (``fornace agent``) on RabbitMQ and on the spool."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fornace.bus import AgentClient, MessageBus, PlanSigner, open_bus
from fornace.testing.bus import BUS_KINDS, bus_url_for

ROOT = str(Path(__file__).resolve().parents[3])


@pytest.fixture(params=BUS_KINDS)
def bus_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return bus_url_for(request.param, tmp_path)


@dataclass
class RunningAgent:
    process: subprocess.Popen[bytes]
    bus: MessageBus
    queue: str
    result_queue: str
    work_dir: Path
    log_path: Path
    clients: list[AgentClient] = field(default_factory=list)

    def client(self, signer: PlanSigner | None = None) -> AgentClient:
        client = AgentClient(self.bus, self.result_queue, signer=signer)
        self.clients.append(client)
        return client

    def call(self, plan: dict[str, Any], timeout: float = 30) -> dict[str, Any]:
        return self.client().call(self.queue, plan, timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def start_agent(bus_url: str, tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    started: list[RunningAgent] = []

    def start(*extra: str, env: dict[str, str] | None = None,
              work_dir: Path | None = None, queue: str | None = None) -> RunningAgent:
        tag = uuid.uuid4().hex[:10]
        queue = queue or f"test-e{tag}-h1"
        result_queue = f"test-{tag}-results"
        work_dir = work_dir or tmp_path / f"work-{tag}"
        log_path = tmp_path / f"agent-{tag}.log"
        argv = [sys.executable, "-m", "fornace.cli.main", "agent", "--bus-url", bus_url,
                "--queue", queue, "--result-queue", result_queue, "--work-dir", str(work_dir),
                *extra]
        full_env = {**os.environ, "PYTHONPATH": ROOT, **(env or {})}
        with open(log_path, "ab") as log:
            process = subprocess.Popen(argv, env=full_env, stdout=log, stderr=log,
                                       start_new_session=True)
        agent = RunningAgent(process, open_bus(bus_url), queue, result_queue, work_dir, log_path)
        started.append(agent)
        return agent

    yield start
    for agent in started:
        agent.stop()
        try:
            agent.bus.delete_queue(agent.queue)
            agent.bus.delete_queue(agent.result_queue)
        finally:
            agent.bus.close()
