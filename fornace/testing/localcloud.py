"""Helpers for tests of the local cloud: what the host holds, addresses, pages."""

from __future__ import annotations

import ipaddress
import os
import random
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class HostSnapshot:
    netns: frozenset[str]
    links: frozenset[str]
    mounts: frozenset[str]
    processes: frozenset[str]
    folders: frozenset[str]
    cgroups: frozenset[str]


def _host_netns_inode() -> int:
    return os.stat("/proc/self/ns/net").st_ino


def snapshot(data_dir: Path) -> HostSnapshot:
    """Namespaces, interfaces, mounts, instance processes and state folders of the host."""
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    host_net = str(_host_netns_inode())
    # Processes in some other network namespace (instances) or naming the data dir.
    ps = subprocess.run(["ps", "-e", "-o", "pid=,netns=,args="], capture_output=True, text=True)
    processes = set()
    for line in ps.stdout.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 2 or parts[1] == "-":
            continue
        args = parts[2] if len(parts) > 2 else ""
        if (parts[1] != host_net and "ps -e -o" not in args) or str(data_dir) in args:
            processes.add(line.strip())
    root = data_dir / "local-cloud"
    folders = {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()
    return HostSnapshot(
        netns=frozenset(line.split()[0] for line in netns.splitlines() if line.strip()),
        links=frozenset(line.split(":", 2)[1].strip().split("@")[0] for line in links.splitlines()),
        mounts=frozenset(line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()),
        processes=frozenset(processes),
        folders=frozenset(folders),
        cgroups=frozenset(
            str(p)
            for pattern in ("*/fornace/*-*", "fornace/*-*")
            for p in Path("/sys/fs/cgroup").glob(pattern)
            if p.is_dir()
        ),
    )


def free_cidr() -> str:
    """A random /24 the host does not route (tests may run in parallel)."""
    routes = subprocess.run(["ip", "-4", "route"], capture_output=True, text=True).stdout
    used = []
    for line in routes.splitlines():
        dst = line.split()[0]
        if dst != "default":
            try:
                used.append(ipaddress.ip_network(dst, strict=False))
            except ValueError:
                pass
    while True:
        net = ipaddress.ip_network(f"10.{random.randint(200, 250)}.{random.randint(0, 255)}.0/24")
        if not any(net.overlaps(u) for u in used):
            return str(net)


def fetch(ip: str, path: str = "/", port: int = 80, timeout: float = 20.0) -> str:
    """GET a page from an instance, retrying while its server starts."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"http://{ip}:{port}{path}", timeout=1.0, trust_env=False)
            if response.status_code == 200:
                return response.text
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.1)
    raise AssertionError(f"no page from {ip}:{port}{path}: {last!r}")


def in_instance(init_pid: int, *argv: str, check: bool = True) -> str:
    """Run a command inside an instance (all its namespaces and its root)."""
    done = subprocess.run(
        ["nsenter", "-t", str(init_pid), "-m", "-u", "-n", "-p", "-i", "-r", "-w", *argv],
        capture_output=True,
        text=True,
        timeout=20,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done.stdout
