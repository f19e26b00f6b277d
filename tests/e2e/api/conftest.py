"""End-to-end through ``fornace serve``: API, engines, bus and real local-cloud instances."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fornace.testing.serve import serve_process


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "needs root (network namespaces, mounts)"
    absent = [t for t in ("ip", "unshare", "nsenter", "mount", "chroot") if not shutil.which(t)]
    return f"needs {', '.join(absent)}" if absent else None


@pytest.fixture
def served(tmp_path: Path, clean_database: str) -> Iterator[tuple[str, Path]]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    data_dir = tmp_path / "serve"
    with serve_process(data_dir, database_url=clean_database) as url:
        yield url, data_dir


@pytest.fixture
def user(served: tuple[str, Path]) -> Iterator[httpx.Client]:
    url, _ = served
    with httpx.Client(base_url=url, headers={"X-Auth-Token": "alice:demo:member"},
                      timeout=60) as client:
        yield client
