"""Shared pieces of the benchmarks: a throw-away Fornace API process and a load generator."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from fornace.testing.servers import free_port, wait_until_serving


@contextmanager
def api_process(database_url: str | None = None, extra_env: dict[str, str] | None = None
                ) -> Iterator[str]:
    """Run ``fornace api`` (one uvicorn worker) on a scratch data dir; yield its URL."""
    data_dir = Path(tempfile.mkdtemp(prefix="fornace-bench-"))
    port = free_port()
    env = {**os.environ, "FORNACE_DATA_DIR": str(data_dir), "FORNACE_AUTH": "noauth"}
    if database_url:
        env["FORNACE_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    subprocess.run([sys.executable, "-m", "fornace.cli.main", "db", "upgrade"], env=env,
                   check=True, capture_output=True)
    log_path = data_dir / "api.log"
    log = log_path.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "fornace.cli.main", "api", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, proc, log_path, timeout=30)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


@dataclass
class LoadResult:
    requests_per_second: float
    median_ms: float
    p99_ms: float
    errors: int
    tool: str


def _wrk(url: str, token: str, seconds: int, connections: int) -> LoadResult:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"X-Auth-Token: {token}", url],
        capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return LoadResult(rps, ms("50"), ms("99"), int(non2xx.group(1)) if non2xx else 0, "wrk")


def _python_load(url: str, token: str, seconds: int, connections: int) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        with httpx.Client(headers={"X-Auth-Token": token}) as client:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                resp = client.get(url)
                dt = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(dt)
                    errors += resp.status_code >= 400
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat = sorted(latencies)
    return LoadResult(len(lat) / seconds, statistics.median(lat), lat[int(len(lat) * 0.99)],
                      errors, "python threads (install wrk for exact figures)")


def measure(url: str, token: str, seconds: int = 5, connections: int = 8) -> LoadResult:
    if shutil.which("wrk"):
        return _wrk(url, token, seconds, connections)
    return _python_load(url, token, seconds, connections)
