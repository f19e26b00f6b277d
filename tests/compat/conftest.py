"""python-muranoclient 2.8.0, installed from PyPI into its own virtual environment.

The venv is cached under FORNACE_TEST_CACHE (default ~/.cache/fornace-tests)
so only the first run pays for the install. Commands run the real ``murano``
CLI in no-client-auth mode against a live Fornace API.
"""

from __future__ import annotations

import os
import subprocess
import venv
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

MURANOCLIENT = "python-muranoclient==2.8.0"
GLANCE_WARNING = "Could not initialize glance client"


def _cache_dir() -> Path:
    default = Path.home() / ".cache" / "fornace-tests"
    return Path(os.environ.get("FORNACE_TEST_CACHE", default))


@pytest.fixture(scope="session")
def murano_bin() -> Path:
    env_dir = _cache_dir() / "muranoclient-2.8.0"
    binary = env_dir / "bin" / "murano"
    if not binary.exists():
        venv.create(env_dir, with_pip=True, clear=True)
        subprocess.run([str(env_dir / "bin" / "pip"), "install", "--quiet", MURANOCLIENT],
                       check=True)
    return binary


class MuranoCLI:
    def __init__(self, binary: Path, url: str, token: str) -> None:
        self.binary, self.url, self.token = binary, url, token

    def __call__(self, *args: str, token: str | None = None, check: bool = True,
                 cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.binary), "--os-no-client-auth", "--murano-url", self.url,
               "--os-auth-token", token or self.token, "--murano-repo-url", "http://127.0.0.1:9/",
               *args]
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)
        # Every command prints this warning on stdout when no Glance is configured.
        proc.stdout = "\n".join(ln for ln in proc.stdout.splitlines()
                                if not ln.startswith(GLANCE_WARNING))
        if check and proc.returncode != 0:
            raise AssertionError(
                f"murano {' '.join(args)} exited {proc.returncode}\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc


@pytest.fixture
def murano(murano_bin: Path, api: httpx.Client) -> Callable[..., subprocess.CompletedProcess[str]]:
    return MuranoCLI(murano_bin, str(api.base_url).rstrip("/"), "alice:proj-a:member")
