"""Finding and removing what crashed runs left behind.

A leftover is a namespace, interface, process, cgroup, mount or folder that
carries this cloud's tag but belongs to no recorded stack (or to a stack
whose record lost it). Stacks being changed right now (their lock is held)
are left alone.
"""

from __future__ import annotations

import os
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path

from fornace.clouds.local import cgroups, host, instance, network
from fornace.clouds.local.context import NETWORK, SERVER, VOLUME
from fornace.clouds.local.state import CloudState


@dataclass
class Leftovers:
    netns: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    processes: list[int] = field(default_factory=list)
    mounts: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    cgroups: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not any(
            (self.netns, self.links, self.processes, self.mounts, self.folders, self.cgroups)
        )

    def lines(self) -> list[str]:
        out = []
        for label, items in (
            ("namespace", self.netns),
            ("interface", self.links),
            ("process", self.processes),
            ("mount", self.mounts),
            ("folder", self.folders),
            ("cgroup", self.cgroups),
        ):
            out += [f"{label} {item}" for item in items]
        return out


def instance_owners(state: CloudState) -> dict[str, tuple[str, str]]:
    """``{short: (stack, resource)}`` from each instance folder's owner file."""
    owners = {}
    for folder in (state.root / "instances").iterdir():
        if folder.name.startswith("."):
            continue
        try:
            lines = (folder / "owner").read_text().splitlines()
        except OSError:
            lines = []
        owners[folder.name] = (lines[0] if lines else "", lines[1] if len(lines) > 1 else "")
    return owners


def volume_owners(state: CloudState) -> dict[str, str]:
    owners = {}
    for path in (state.root / "volumes").iterdir():
        if path.is_dir():
            owner = path.parent / f"{path.name}.owner"
            owners[path.name] = owner.read_text().strip() if owner.exists() else ""
    return owners


def _known(state: CloudState) -> tuple[set[str], set[str], set[str], set[str]]:
    """Instances, bridges and volumes the stack records know; stacks locked right now."""
    instances: set[str] = set()
    bridges: set[str] = set()
    volumes: set[str] = set()
    busy = {name for name in state.stack_names() if state.stack_locked(name)}
    for stack in state.all_stacks().values():
        for rec in stack.get("resources", {}).values():
            data = rec.get("data") or {}
            if rec.get("type") == SERVER and data.get("short"):
                instances.add(data["short"])
            elif rec.get("type") == NETWORK and data.get("bridge"):
                bridges.add(data["bridge"])
            elif rec.get("type") == VOLUME and data.get("short"):
                volumes.add(data["short"])
    return instances, bridges, volumes, busy


def _instance_processes(state: CloudState) -> dict[int, str]:
    """Launchers of this cloud's instances: ``{pid: short}``, found by command line."""
    marker = f"{state.root}/instances/"
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            args = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        for arg in args:
            text = arg.decode(errors="replace")
            if text.startswith(marker):
                found[int(entry)] = text[len(marker) :].split("/", 1)[0]
                break
    return found


def find(state: CloudState) -> Leftovers:
    instances, bridges, volumes, busy = _known(state)
    owners = instance_owners(state)
    skip = {short for short, (stack, _) in owners.items() if stack in busy}
    keep = instances | skip
    found = Leftovers()
    for name in network.netns_names(state.netns_prefix):
        if name[len(state.netns_prefix) :] not in keep:
            found.netns.append(name)
    for name in network.link_names(state.veth_prefix):
        if name[len(state.veth_prefix) :][:6] not in keep:
            found.links.append(name)
    for name in network.link_names(state.bridge_prefix):
        if name not in bridges and not busy:
            found.links.append(name)
    found.processes = sorted(
        p for p, short in _instance_processes(state).items() if short not in keep
    )
    root = str(state.root)
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        mounts = []
    found.mounts = [
        m.split()[1] for m in mounts if len(m.split()) > 1 and m.split()[1].startswith(root)
    ]
    found.folders = [str(state.instance_dir(s)) for s in owners if s not in keep]
    found.folders += [str(p) for p in sorted((state.root / "instances").glob(".trash-*"))]
    volume_stacks = volume_owners(state)
    found.folders += [
        str(state.volume_dir(s))
        for s, stack in volume_stacks.items()
        if s not in volumes and stack not in busy
    ]
    stacks = set(state.stack_names())
    found.folders += [
        str(lock)
        for lock in sorted((state.root / "locks").glob("*.lock"))
        if lock.stem not in stacks and not state.stack_locked(lock.stem)
    ]
    found.cgroups = [
        c for c in cgroups.leftovers(f"{state.tag}-") if c.split("-", 1)[1] not in keep
    ]
    return found


def remove_instance(state: CloudState, short: str) -> None:
    """Stop and remove one instance known only by its short name."""
    netns = f"{state.netns_prefix}{short}"
    for pid, owner in _instance_processes(state).items():
        if owner == short:
            _kill(pid)
    if Path(f"/run/netns/{netns}").exists():
        instance.kill(0, 0, netns)
    network.unplug(
        netns,
        [n for n in network.link_names(f"{state.veth_prefix}{short}")]
        or [f"{state.veth_prefix}{short}0"],
    )
    cgroups.remove(f"{state.tag}-{short}")
    shutil.rmtree(state.instance_dir(short), ignore_errors=True)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def collect(state: CloudState) -> Leftovers:
    """Remove every leftover; return what was found (and removed)."""
    found = find(state)
    for pid in found.processes:
        _kill(pid)
    for mount in sorted(found.mounts, reverse=True):
        host.run(["umount", "-l", mount], what=f"unmount {mount}", check=False)
    for netns in found.netns:
        instance.kill(0, 0, netns)
        network.unplug(netns, [])
    for link in found.links:
        network.delete_link(link)
    for name in found.cgroups:
        cgroups.remove(name)
    for folder in found.folders:
        if folder.endswith(".lock"):
            Path(folder).unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        Path(f"{folder}.owner").unlink(missing_ok=True)
    _release_addresses(state)
    return found


def _release_addresses(state: CloudState) -> None:
    """Drop address records whose owner or subnet no longer exists."""
    if any(state.stack_locked(name) for name in state.stack_names()):
        return
    ids: set[str] = set()
    for stack in state.all_stacks().values():
        ids.update(rec.get("id", "") for rec in stack.get("resources", {}).values())
    with state.host_lock():
        ipam = state.load_ipam()
        cleaned = {
            subnet: {a: o for a, o in used.items() if o in ids}
            for subnet, used in ipam.items()
            if subnet in ids
        }
        if cleaned != ipam:
            state.save_ipam(cleaned)
