"""Instances: a network namespace, an overlay root and a pid namespace per server.

Boot: write the boot files into the instance's upper layer, plug its
interfaces, then start ``init.sh`` (see there) under ``nsenter`` + ``unshare``
and wait until it reports the root ready. Stop: kill the pid namespace's
first process, wait until the namespace holds no process, then delete the
namespace, the cgroups and the instance's folder.
"""

from __future__ import annotations

import atexit
import logging
import os
import select
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fornace.clouds.errors import ResourceFailed
from fornace.clouds.local import cgroups, host, network
from fornace.clouds.local.userdata import BOOT_DIR, Boot

log = logging.getLogger(__name__)

INIT_SCRIPT = Path(__file__).with_name("init.sh")
BOOT_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0

_children: dict[int, subprocess.Popen[bytes]] = {}
_children_lock = threading.Lock()


@dataclass(frozen=True)
class Spec:
    short: str
    netns: str
    hostname: str
    folder: Path
    nics: tuple[network.Nic, ...]
    vcpus: int
    ram_mb: int
    boot: Boot
    binds: tuple[tuple[str, str, bool], ...]
    hide: str
    cgroup_name: str


def _write(upper: Path, path: str, content: bytes, mode: int) -> None:
    target = upper / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    os.chmod(target, mode)


def _prepare(spec: Spec) -> None:
    for sub in ("upper", "work", "merged"):
        (spec.folder / sub).mkdir(parents=True, exist_ok=True)
    upper = spec.folder / "upper"
    for path, (content, mode) in spec.boot.files.items():
        _write(upper, path, content, mode)
    _write(upper, f"/{BOOT_DIR}/boot.sh", spec.boot.script().encode(), 0o700)
    _write(upper, "/etc/hostname", f"{spec.hostname}\n".encode(), 0o644)
    try:
        hosts = Path("/etc/hosts").read_text()
    except OSError:
        hosts = "127.0.0.1 localhost\n"
    _write(upper, "/etc/hosts", f"{hosts.rstrip()}\n127.0.1.1 {spec.hostname}\n".encode(), 0o644)
    (spec.folder / "fstab").write_text(fstab(spec))
    for _src, dst, _ro in spec.binds:
        (upper / dst.lstrip("/")).mkdir(parents=True, exist_ok=True)
    folders = cgroups.prepare(spec.cgroup_name, spec.vcpus, spec.ram_mb)
    (spec.folder / "cgroups").write_text("".join(f"{f}\n" for f in folders))


def _escape(path: str) -> str:
    """fstab fields escape blanks and backslashes as octal."""
    return "".join(f"\\{ord(c):03o}" if c in " \t\n\\" else c for c in path)


def fstab(spec: Spec) -> str:
    """The instance's mounts, in order, for ``mount --all --fstab``."""
    root = spec.folder / "merged"
    lines = [
        (
            "overlay",
            root,
            "overlay",
            f"lowerdir=/,upperdir={spec.folder / 'upper'},workdir={spec.folder / 'work'}",
        ),
        ("/dev", root / "dev", "none", "rbind"),
        ("proc", root / "proc", "proc", "nosuid,nodev,noexec"),
        ("sysfs", root / "sys", "sysfs", "nosuid,nodev,noexec"),
        ("tmpfs", root / "run", "tmpfs", "mode=0755,nosuid,nodev"),
        # The cloud's state (other instances' layers) is hidden from the instance.
        ("tmpfs", f"{root}{spec.hide}", "tmpfs", "mode=0700,size=1m"),
    ]
    for src, dst, ro in spec.binds:
        lines.append((src, f"{root}{dst}", "none", "bind,ro" if ro else "bind"))
    return "".join(f"{_escape(str(a))} {_escape(str(b))} {c} {d} 0 0\n" for a, b, c, d in lines)


def boot(spec: Spec) -> tuple[int, int, bool]:
    """Start the instance; return (unshare pid, init pid, limits applied)."""
    _prepare(spec)
    network.plug(spec.netns, list(spec.nics))
    read_fd, write_fd = os.pipe()
    argv = [
        host.require("nsenter"),
        f"--net=/run/netns/{spec.netns}",
        host.require("unshare"),
        "--mount",
        "--uts",
        "--ipc",
        "--pid",
        "--fork",
        "--kill-child",
        host.require("bash"),
        str(INIT_SCRIPT),
        str(spec.folder),
        spec.hostname,
        str(write_fd),
    ]
    try:
        with (
            open(spec.folder / "console.log", "ab") as console,
            open(spec.folder / "boot.log", "ab") as errors,
        ):
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=errors,
                pass_fds=(write_fd,),
                start_new_session=True,
            )
    finally:
        os.close(write_fd)
    with _children_lock:
        _children[proc.pid] = proc
    try:
        ready = _wait_ready(read_fd)
    finally:
        os.close(read_fd)
    if not ready:
        kill(proc.pid, 0, spec.netns)
        reason = (spec.folder / "boot.log").read_text(errors="replace").strip()
        raise ResourceFailed(
            f"Instance {spec.hostname} did not boot.",
            cause=reason[-2000:] or "the boot script stopped without a message",
            hint="Run `fornace cloud doctor` to check the host.",
        )
    return proc.pid, _first_child(proc.pid), bool((spec.folder / "cgroups").read_text().strip())


def _wait_ready(fd: int) -> bool:
    deadline = time.monotonic() + BOOT_TIMEOUT
    data = b""
    while time.monotonic() < deadline:
        readable, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not readable:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
        if b"ready" in data:
            return True
    return False


def _first_child(pid: int) -> int:
    for _ in range(200):
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return 0
        if children:
            return int(children[0])
        time.sleep(0.005)
    return 0


def alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def netns_pids(netns: str) -> list[int]:
    """Processes in the network namespace ``netns`` (what ``ip netns pids`` prints)."""
    try:
        inode = os.stat(f"/run/netns/{netns}").st_ino
    except OSError:
        return []
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}/ns/net").st_ino == inode and alive(int(entry)):
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def in_netns(pid: int, netns: str) -> bool:
    """True when ``pid`` lives in the network namespace ``netns`` (guards against pid reuse)."""
    try:
        return os.stat(f"/proc/{pid}/ns/net").st_ino == os.stat(f"/run/netns/{netns}").st_ino
    except OSError:
        return False


def kill(pid: int, init_pid: int, netns: str) -> None:
    """Stop every process of the instance and wait until they are gone."""
    for target in (init_pid, pid):
        if target > 0 and alive(target) and in_netns(target, netns):
            try:
                os.kill(target, signal.SIGKILL)
            except ProcessLookupError:
                pass
    with _children_lock:
        proc = _children.pop(pid, None)
    if proc is not None:
        # The launcher exits once its child, the pid namespace's init, has gone; the kernel
        # lets an init go only after every other process of its namespace.
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log.warning("instance launcher %s did not exit", pid)
    deadline = time.monotonic() + STOP_TIMEOUT
    while True:
        left = netns_pids(netns)
        if not left:
            break
        if time.monotonic() > deadline:
            raise ResourceFailed(
                f"Processes {left} of {netns} did not stop.",
                hint="Kill them by hand, then run `fornace cloud gc`.",
            )
        for stray in left:
            try:
                os.kill(stray, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.005)


def destroy(
    short: str,
    netns: str,
    pid: int,
    init_pid: int,
    host_names: list[str],
    folder: Path,
    cgroup_name: str,
) -> None:
    kill(pid, init_pid, netns)
    network.unplug(netns, host_names)
    cgroups.remove(cgroup_name)
    discard(folder)


_trash: list[threading.Thread] = []


def discard(folder: Path) -> None:
    """Remove an instance's folder: renamed out of the way at once, erased in the background.

    Erasing a layer can take a while (each unlink on a disk mounted with
    ``discard`` costs milliseconds); :func:`empty_trash` waits for it.
    """
    if not folder.exists():
        return
    trash = folder.with_name(f".trash-{folder.name}-{os.getpid()}-{threading.get_ident()}")
    try:
        os.rename(folder, trash)
    except OSError as exc:
        raise ResourceFailed(
            f"Could not remove the folder {folder}.",
            cause=str(exc),
            hint="Remove it by hand or run `fornace cloud gc`.",
        ) from exc
    worker = threading.Thread(
        target=shutil.rmtree, args=(trash, True), daemon=True, name=f"discard-{folder.name}"
    )
    worker.start()
    with _children_lock:
        _trash[:] = [t for t in _trash if t.is_alive()] + [worker]


def empty_trash(root: Path | None = None) -> None:
    """Wait for background removals; then erase any trash a crashed run left under ``root``."""
    with _children_lock:
        workers = list(_trash)
    for worker in workers:
        worker.join()
    if root is not None:
        for leftover in root.glob(".trash-*"):
            shutil.rmtree(leftover, ignore_errors=True)


atexit.register(empty_trash)
