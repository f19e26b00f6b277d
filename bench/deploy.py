"""Deployment throughput and engine memory, through the HTTP API.

    python bench/deploy.py [--engines 2] [--quick]

Deploys the engine tests' reporting-only package (tests/engine/packages) with
1, 10 and 100 applications per environment and prints deployments per second
(from the deploy call to `ready`), then the engines' resident memory while 100
deployments are in flight. Targets: >= 20 deployments/s of the 1-app
environment; engine memory < 300 MB with 100 deployments in flight.
Embedded defaults (SQLite and the spool bus in a temporary folder) unless
--postgresql / --rabbitmq (the servers the tests use).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from fornace.api.app import create_app  # noqa: E402
from fornace.bus import spool_url  # noqa: E402
from fornace.config import Settings  # noqa: E402
from fornace.db import make_engine, upgrade  # noqa: E402
from fornace.testing.bus import RABBITMQ_URL  # noqa: E402
from fornace.testing.databases import scratch_database  # noqa: E402
from fornace.testing.engine import zip_folder  # noqa: E402
from fornace.testing.servers import running_server  # noqa: E402

PACKAGES = ROOT / "tests" / "engine" / "packages"
TARGET_RATE = 20.0
TARGET_MEMORY_MB = 300.0



def start_engine(settings: Settings) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), FORNACE_DATA_DIR=str(settings.data_dir),
               FORNACE_DATABASE_URL=settings.effective_database_url,
               FORNACE_BUS_URL=settings.bus_url, FORNACE_BUS_PREFIX=settings.bus_prefix,
               FORNACE_ENGINE_PLUGINS=json.dumps(settings.engine_plugins),
               FORNACE_ENGINE_CORE_LIBRARY="false")
    log = os.environ.get("BENCH_ENGINE_LOG")
    return subprocess.Popen([sys.executable, "-m", "fornace.cli.main", "engine"], env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=open(log, "ab") if log else subprocess.DEVNULL)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Client:
    def __init__(self, api: httpx.Client):
        self.api = api

    def prepare(self, apps: int) -> tuple[str, str]:
        resp = self.api.post("/v1/environments", json={
            "name": f"bench-{uuid.uuid4().hex[:10]}",
            "defaultNetworks": {"environment": None, "flat": None}})
        env_id = resp.json()["id"]
        sid = self.api.post(f"/v1/environments/{env_id}/configure").json()["id"]
        for n in range(apps):
            resp = self.api.post(f"/v1/environments/{env_id}/services",
                                 headers={"X-Configuration-Session": sid},
                                 json={"?": {"id": uuid.uuid4().hex,
                                             "type": "fornace.tests.Reporting"},
                                       "name": f"app{n}"})
            resp.raise_for_status()
        return env_id, sid

    def deploy(self, env_id: str, sid: str) -> None:
        self.api.post(f"/v1/environments/{env_id}/sessions/{sid}/deploy").raise_for_status()

    def wait_all(self, env_ids: list[str], timeout: float = 600) -> dict[str, str]:
        pending, done = set(env_ids), {}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            for env in self.api.get("/v1/environments").json()["environments"]:
                if env["id"] in pending and env["status"] not in ("deploying", "pending"):
                    done[env["id"]] = env["status"]
                    pending.discard(env["id"])
            time.sleep(0.1)
        if pending:
            raise SystemExit(f"{len(pending)} environments did not finish in {timeout} s")
        return done


def run_rate(client: Client, apps: int, count: int) -> float:
    prepared = [client.prepare(apps) for _ in range(count)]
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda p: client.deploy(*p), prepared))
    if os.environ.get("BENCH_VERBOSE"):
        print(f"  deploy calls took {time.perf_counter() - started:.2f} s", flush=True)
    statuses = client.wait_all([env_id for env_id, _ in prepared])
    elapsed = time.perf_counter() - started
    bad = [s for s in statuses.values() if s != "ready"]
    if bad:
        raise SystemExit(f"{len(bad)} deployments with {apps} apps ended {set(bad)}")
    return count / elapsed


def run_memory(client: Client, engines: list[subprocess.Popen[bytes]], count: int) -> float:
    prepared = [client.prepare(1) for _ in range(count)]
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.05):
            peak = max(peak, sum(rss_mb(p.pid) for p in engines))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for env_id, sid in prepared:
        client.deploy(env_id, sid)
    client.wait_all([env_id for env_id, _ in prepared])
    stop.set()
    sampler.join()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="fewer deployments")
    parser.add_argument("--postgresql", action="store_true",
                        help="a scratch database on the PostgreSQL at 127.0.0.1:5432")
    parser.add_argument("--rabbitmq", action="store_true", help="RabbitMQ at 127.0.0.1:5672")
    args = parser.parse_args()
    scale = 4 if args.quick else 1
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        database_url = ""
        if args.postgresql:
            database_url = stack.enter_context(scratch_database(Path(tmp), "postgresql"))
        settings = Settings(data_dir=Path(tmp), database_url=database_url,
                            bus_url=RABBITMQ_URL if args.rabbitmq else spool_url(Path(tmp) / "bus"),
                            bus_prefix=f"bench{uuid.uuid4().hex[:8]}",
                            engine_plugins=["fornace.testing.engine:register"],
                            engine_core_library=False)
        upgrade(make_engine(settings.effective_database_url))
        engines = [start_engine(settings) for _ in range(args.engines)]
        try:
            app = create_app(settings, connect_bus=True)
            with running_server(app) as base_url, httpx.Client(
                    base_url=base_url, headers={"X-Auth-Token": "admin"}, timeout=60) as api:
                for name in ("core", "app"):
                    api.post("/v1/catalog/packages", data={"__metadata__": '{"is_public": true}'},
                             files={name: (f"{name}.zip", zip_folder(PACKAGES / name),
                                           "application/zip")}).raise_for_status()
                client = Client(api)
                run_rate(client, 1, 4)  # warm-up: engines started, packages parsed
                print(f"engines: {args.engines} processes, bus: "
                      f"{'RabbitMQ' if args.rabbitmq else 'spool'}, database: "
                      f"{settings.effective_database_url.split(':')[0]}")
                for apps, count in ((1, 80 // scale), (10, 40 // scale), (100, 8 // scale)):
                    rate = run_rate(client, apps, count)
                    line = f"{apps:>3} app(s)/environment: {rate:6.1f} deployments/s"
                    if apps == 1:
                        line += f"  (target {TARGET_RATE:g}/s, ratio {rate / TARGET_RATE:.2f})"
                    print(line, flush=True)
                peak = run_memory(client, engines, 100)
                print(f"engine memory, 100 deployments in flight: {peak:.0f} MB for "
                      f"{args.engines} processes (target < {TARGET_MEMORY_MB:g} MB, ratio "
                      f"{peak / TARGET_MEMORY_MB:.2f})")
        finally:
            for process in engines:
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
