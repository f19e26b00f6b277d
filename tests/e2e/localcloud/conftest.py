"""Fixtures for the local cloud's end-to-end tests: real namespaces, as root.

Every test gets a fresh cloud (its own data dir, so its own name tag) and
ends by deleting its stacks and asserting the host is as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from fornace.clouds.local.driver import LocalCloud

REQUIRED = ("ip", "unshare", "nsenter", "mount", "chroot")


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "needs root (network namespaces, mounts)"
    absent = [t for t in REQUIRED if shutil.which(t) is None]
    if absent:
        return f"needs {', '.join(absent)}"
    if "overlay" not in Path("/proc/filesystems").read_text().split():
        return "needs overlay support in the kernel"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.root)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session", autouse=True)
def _warm_host() -> None:
    """``ip netns`` makes /run/netns a mount point once per boot; do that before snapshots."""
    if _missing():
        return
    subprocess.run(["ip", "netns", "add", "fornace-warmup"], capture_output=True)
    subprocess.run(["ip", "netns", "del", "fornace-warmup"], capture_output=True)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cloud(data_dir: Path) -> Iterator[LocalCloud]:
    from fornace.clouds.local import gc

    driver = LocalCloud(data_dir)
    yield driver
    for name in driver.list_stacks():
        driver.delete(name)
    leftovers = gc.find(driver.state)
    assert leftovers.empty(), leftovers.lines()
