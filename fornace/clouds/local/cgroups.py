"""Flavor limits through cgroups (v2 or v1), when the host lets us write them.

An instance's boot script moves itself into the folders returned by
:func:`prepare` (writing ``0`` to ``cgroup.procs`` moves the writer), so every
process of the instance starts inside the limits.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")
PERIOD_US = 100_000


def _v2() -> bool:
    return (ROOT / "cgroup.controllers").exists()


def available() -> bool:
    if _v2():
        return os.access(ROOT, os.W_OK)
    return os.access(ROOT / "memory", os.W_OK) and os.access(ROOT / "cpu", os.W_OK)


def _folders(name: str) -> list[Path]:
    if _v2():
        return [ROOT / "fornace" / name]
    return [ROOT / "memory" / "fornace" / name, ROOT / "cpu" / "fornace" / name]


def prepare(name: str, vcpus: int, ram_mb: int) -> list[Path]:
    """Create the instance's cgroup folders with the limits; ``[]`` when not possible."""
    if not available():
        return []
    try:
        if _v2():
            parent = ROOT / "fornace"
            parent.mkdir(exist_ok=True)
            (ROOT / "cgroup.subtree_control").write_text("+memory +cpu")
            (parent / "cgroup.subtree_control").write_text("+memory +cpu")
            folder = parent / name
            folder.mkdir(exist_ok=True)
            (folder / "memory.max").write_text(str(ram_mb * 1024 * 1024))
            (folder / "cpu.max").write_text(f"{vcpus * PERIOD_US} {PERIOD_US}")
            return [folder]
        memory, cpu = _folders(name)
        memory.mkdir(parents=True, exist_ok=True)
        cpu.mkdir(parents=True, exist_ok=True)
        (memory / "memory.limit_in_bytes").write_text(str(ram_mb * 1024 * 1024))
        (cpu / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (cpu / "cpu.cfs_quota_us").write_text(str(vcpus * PERIOD_US))
        return [memory, cpu]
    except OSError as exc:
        log.warning("flavor limits not applied to %s: %s", name, exc)
        remove(name)
        return []


def remove(name: str) -> None:
    """Remove the instance's cgroup folders (they must be empty of processes)."""
    for folder in _folders(name):
        for _ in range(50):
            try:
                folder.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.01)


def leftovers(prefix: str) -> list[str]:
    """Names of instance cgroups starting with ``prefix``."""
    names: set[str] = set()
    for folder in _folders("x"):
        parent = folder.parent
        if parent.is_dir():
            names.update(
                p.name for p in parent.iterdir() if p.is_dir() and p.name.startswith(prefix)
            )
    return sorted(names)
