"""Checks of the host for the local cloud, each with the fix when it fails."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from fornace.clouds.local import cgroups, gc, host
from fornace.clouds.local.state import CloudState

CAP_SYS_ADMIN = 21
CAP_NET_ADMIN = 12


class Verdict(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    verdict: Verdict
    detail: str
    fix: str = ""


def _capabilities() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    except OSError:
        pass
    return 0


def privileged() -> bool:
    """Root, or the two capabilities namespaces and mounts need."""
    caps = _capabilities()
    return bool((caps >> CAP_SYS_ADMIN) & 1 and (caps >> CAP_NET_ADMIN) & 1)


def _mount_of(path: Path) -> tuple[str, str]:
    """(mount point, filesystem type) holding ``path``."""
    best = ("/", "")
    target = str(path.resolve())
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return best
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1]
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(
            best[0]
        ):
            best = (point, parts[2])
    return best


def run_checks(state: CloudState) -> list[Check]:
    checks: list[Check] = []
    if privileged():
        checks.append(Check("privileges", Verdict.OK, "root (CAP_SYS_ADMIN, CAP_NET_ADMIN)"))
    else:
        checks.append(
            Check(
                "privileges",
                Verdict.FAIL,
                "not root: namespaces and mounts need it",
                "Run Fornace's engine as root (or with CAP_SYS_ADMIN and CAP_NET_ADMIN).",
            )
        )
    for tool, package in host.REQUIRED_TOOLS.items():
        path = host.which(tool)
        if path:
            checks.append(Check(f"tool {tool}", Verdict.OK, path))
        else:
            checks.append(
                Check(
                    f"tool {tool}",
                    Verdict.FAIL,
                    f"'{tool}' is not on PATH",
                    f"apt-get install {package}",
                )
            )
    nft = host.which("nft")
    checks.append(
        Check("tool nft", Verdict.OK, f"{nft}: security groups are enforced")
        if nft
        else Check(
            "tool nft",
            Verdict.WARN,
            "'nft' is not on PATH: security groups are accepted but not enforced",
            "apt-get install nftables",
        )
    )
    filesystems = (
        Path("/proc/filesystems").read_text() if Path("/proc/filesystems").exists() else ""
    )
    if "overlay" in filesystems.split():
        checks.append(Check("overlay", Verdict.OK, "the kernel supports overlay mounts"))
    else:
        checks.append(
            Check(
                "overlay", Verdict.FAIL, "overlay is not in /proc/filesystems", "modprobe overlay"
            )
        )
    point, fstype = _mount_of(state.root)
    if fstype in ("overlay", "nfs", "nfs4"):
        checks.append(
            Check(
                "data dir",
                Verdict.FAIL,
                f"{state.root} is on {fstype} ({point}): it cannot hold upper layers",
                "Set FORNACE_DATA_DIR to a folder on ext4, xfs, btrfs or tmpfs.",
            )
        )
    else:
        checks.append(
            Check("data dir", Verdict.OK, f"{state.root} on {fstype or 'unknown'} ({point})")
        )
    root_fs = _mount_of(Path("/"))[1]
    checks.append(
        Check(
            "base image",
            Verdict.OK if root_fs != "overlay" else Verdict.WARN,
            f"instances see the host's / ({root_fs}) read-only under their own layer",
            ""
            if root_fs != "overlay"
            else "The host's / is itself an overlay; nested overlays may fail.",
        )
    )
    try:
        forward = Path("/proc/sys/net/ipv4/ip_forward").read_text().strip()
    except OSError:
        forward = "?"
    checks.append(
        Check(
            "ip_forward",
            Verdict.OK if forward == "1" else Verdict.WARN,
            f"net.ipv4.ip_forward = {forward}"
            + ("" if forward == "1" else ": instances reach the host, not the networks beyond it"),
            ""
            if forward == "1"
            else "sysctl -w net.ipv4.ip_forward=1 (and masquerade the bridges' subnets)",
        )
    )
    checks.append(
        Check("cgroups", Verdict.OK, "flavor limits applied (memory, cpu)")
        if cgroups.available()
        else Check(
            "cgroups",
            Verdict.WARN,
            "cgroups not writable: flavor limits recorded only",
            "Mount a writable cgroup hierarchy at /sys/fs/cgroup.",
        )
    )
    if host.which("ip"):
        leftovers = gc.find(state)
        checks.append(
            Check("leftovers", Verdict.OK, "none")
            if leftovers.empty()
            else Check(
                "leftovers",
                Verdict.WARN,
                f"{len(leftovers.lines())} left by crashed runs: "
                + "; ".join(leftovers.lines()[:5]),
                "fornace cloud gc",
            )
        )
    return checks
