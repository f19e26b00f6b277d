"""Run ``fornace serve`` (API, engines, bus) as a real process for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fornace.testing.servers import free_port, wait_until_serving


@contextmanager
def serve_process(data_dir: Path, *, database_url: str | None = None,
                  extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``fornace serve`` on a free port with ``data_dir``; yield its URL; stop it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORNACE_")}
    env.update({"FORNACE_DATA_DIR": str(data_dir), "FORNACE_AUTH": "noauth"})
    if database_url:
        env["FORNACE_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fornace.cli.main", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(url, proc, log_path)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
