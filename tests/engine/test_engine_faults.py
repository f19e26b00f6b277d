"""Durability: deployments survive engine processes killed with SIGKILL at random points."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from fornace.db import make_engine, make_sessionmaker
from fornace.db.models import EngineLease
from fornace.engine.worker import ORPHANED_TEXT

pytestmark = pytest.mark.usefixtures("packages")

DEPLOYMENTS = 20
ENGINES = 3


def start_engine(settings: Any) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update({
        "FORNACE_DATA_DIR": str(settings.data_dir),
        "FORNACE_DATABASE_URL": settings.effective_database_url,
        "FORNACE_BUS_URL": settings.bus_url,
        "FORNACE_BUS_PREFIX": settings.bus_prefix,
        "FORNACE_ENGINE_PLUGINS": json.dumps(settings.engine_plugins),
        "FORNACE_ENGINE_LEASE_SECONDS": str(settings.engine_lease_seconds),
        "FORNACE_ENGINE_CORE_LIBRARY": "false",
        "PYTHONPATH": os.getcwd(),
    })
    return subprocess.Popen([sys.executable, "-m", "fornace.cli.main", "engine"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def intervals_overlap(events: list[tuple[str, str]]) -> bool:
    """events: (timestamp, 'start'|'end') of one environment; True if two runs overlap."""
    running = 0
    for _stamp, kind in sorted(events):
        running += 1 if kind == "start" else -1
        if running > 1:
            return True
        running = max(running, 0)
    return False


def test_deployments_survive_killed_engines(deployer, engine_settings):
    engines = [start_engine(engine_settings) for _ in range(ENGINES)]
    kills = busy_kills = 0
    stop = threading.Event()
    rng = random.Random(20261122)

    leases = make_sessionmaker(make_engine(engine_settings.effective_database_url))

    def busy_pids() -> set[int]:
        with leases() as db:
            owners = db.scalars(select(EngineLease.owner)
                                .where(EngineLease.state == "running")).all()
        return {int(owner.split(":")[1]) for owner in owners}

    def killer() -> None:
        """Most kills hit an engine in the middle of a task (it holds a lease)."""
        nonlocal kills, busy_kills
        while not stop.wait(rng.uniform(1.0, 2.5)):
            pids = {p.pid for p in engines} & busy_pids()
            if pids and rng.random() < 0.7:
                index = [p.pid for p in engines].index(rng.choice(sorted(pids)))
                busy_kills += 1
            else:
                index = rng.randrange(len(engines))
            engines[index].send_signal(signal.SIGKILL)
            engines[index].wait()
            kills += 1
            engines[index] = start_engine(engine_settings)

    envs = []
    try:
        for n in range(DEPLOYMENTS):
            env_id = deployer.create()
            sid = deployer.session(env_id)
            deployer.add_app(env_id, sid, f"app{n}", seconds=2)
            envs.append((env_id, sid))
        thread = threading.Thread(target=killer, daemon=True)
        thread.start()
        for env_id, sid in envs:
            deployer.deploy(env_id, sid)
        started = time.monotonic()
        while time.monotonic() - started < 60:
            if time.monotonic() - started > 12 and busy_kills >= 1:
                break
            time.sleep(0.5)
        stop.set()
        thread.join()
        statuses = {env_id: deployer.wait(env_id, timeout=120) for env_id, _ in envs}
    finally:
        stop.set()
        for process in engines:
            process.kill()
            process.wait()
    assert kills >= 3 and busy_kills >= 1
    assert set(statuses.values()) <= {"ready", "deploy failure"}, statuses
    failed = 0
    for env_id, _sid in envs:
        [deployment] = deployer.deployments(env_id)
        assert deployment["finished"] is not None
        reports = deployer.reports(env_id, deployment["id"])
        texts = [r["text"] for r in reports]
        assert texts.count("Deployment finished") + texts.count(
            "Deployment finished with errors") == 1, texts
        events = [(r["created"], t.split()[0]) for r, t in zip(reports, texts, strict=True)
                  if t.split()[0] in ("start", "end")]
        assert not intervals_overlap(events), texts
        starts = sum(1 for t in texts if t.startswith("start "))
        assert starts <= 1, texts  # a task is never run a second time
        if statuses[env_id] == "ready":
            assert any(t.startswith("deployed ") for t in texts), texts
        else:
            failed += 1
            assert ORPHANED_TEXT in texts, texts
    assert failed >= 1  # the engines killed in the middle of a task
    print(f"kills: {kills} ({busy_kills} mid-task), failed deployments: {failed} of "
          f"{DEPLOYMENTS}")
