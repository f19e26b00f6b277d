"""What the local cloud remembers on disk, and the locks that guard it.

Layout under ``<data_dir>/local-cloud/``::

    stacks/<stack>.json        the stack: template, parameters, resources, outputs
    locks/<stack>.lock         held while a push or delete works on the stack
    instances/<short>/         one instance: meta.json, upper/, work/, merged/, console.log
    volumes/<short>/           one volume's data
    ipam.json                  addresses handed out per subnet (under the host lock)

Names on the host carry a tag made from the data directory, so that two
clouds on one host (say two test runs) never take each other's things for
leftovers: namespaces ``fornace-<tag>-<short>``, interfaces ``fv<tag><short>``
(instance side of a veth pair) and ``fb<tag><short>`` (bridges).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fornace.clouds.errors import StackBusy, TemplateInvalid

STACK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,254}$")
HOST_LOCK = Path("/run/lock/fornace-local-cloud.lock")


def stack_name_checked(name: str) -> str:
    if not isinstance(name, str) or not STACK_NAME.match(name):
        raise TemplateInvalid(
            f"Invalid stack name {name!r}.",
            hint="A stack name starts with a letter and holds letters, digits, '_', '.', '-'.",
        )
    return name


class CloudState:
    """Paths, names and locks of one local cloud (one data directory)."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir).expanduser().resolve() / "local-cloud"
        self.tag = hashlib.sha1(str(self.root).encode()).hexdigest()[:4]
        for sub in ("stacks", "locks", "instances", "volumes"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    # -- names -------------------------------------------------------------
    @property
    def netns_prefix(self) -> str:
        return f"fornace-{self.tag}-"

    @property
    def veth_prefix(self) -> str:
        return f"fv{self.tag}"

    @property
    def bridge_prefix(self) -> str:
        return f"fb{self.tag}"

    def new_short(self, taken: set[str]) -> str:
        while True:
            short = secrets.token_hex(3)
            if (
                short not in taken
                and not Path(f"/run/netns/{self.netns_prefix}{short}").exists()
                and not (self.root / "instances" / short).exists()
                and not (self.root / "volumes" / short).exists()
            ):
                return short

    def instance_dir(self, short: str) -> Path:
        return self.root / "instances" / short

    def volume_dir(self, short: str) -> Path:
        return self.root / "volumes" / short

    # -- stacks ------------------------------------------------------------
    def stack_file(self, name: str) -> Path:
        return self.root / "stacks" / f"{stack_name_checked(name)}.json"

    def load_stack(self, name: str) -> dict[str, Any] | None:
        path = self.stack_file(name)
        try:
            data: dict[str, Any] = json.loads(path.read_text())
        except FileNotFoundError:
            return None
        return data

    def save_stack(self, name: str, data: dict[str, Any]) -> None:
        write_json(self.stack_file(name), data)

    def drop_stack(self, name: str) -> None:
        """Forget the stack (call with its lock held: the lock file goes too)."""
        self.stack_file(name).unlink(missing_ok=True)
        (self.root / "locks" / f"{name}.lock").unlink(missing_ok=True)

    def stack_names(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "stacks").glob("*.json"))

    def all_stacks(self) -> dict[str, dict[str, Any]]:
        stacks = {}
        for name in self.stack_names():
            data = self.load_stack(name)
            if data is not None:
                stacks[name] = data
        return stacks

    # -- locks -------------------------------------------------------------
    @contextlib.contextmanager
    def stack_lock(self, name: str, *, wait: bool = True) -> Iterator[None]:
        path = self.root / "locks" / f"{stack_name_checked(name)}.lock"
        with _flock(path, wait=wait) as got:
            if not got:
                raise StackBusy(
                    f"Stack {name!r} is being changed by another operation.",
                    hint="Wait for it to finish, then retry.",
                )
            yield

    def stack_locked(self, name: str) -> bool:
        """True when some operation holds the stack's lock right now."""
        path = self.root / "locks" / f"{name}.lock"
        if not path.exists():
            return False
        with _flock(path, wait=False) as got:
            return not got

    @contextlib.contextmanager
    def host_lock(self) -> Iterator[None]:
        """Serialises bridge and address allocation between all clouds of the host."""
        path = (
            HOST_LOCK if HOST_LOCK.parent.is_dir() else Path(tempfile.gettempdir()) / HOST_LOCK.name
        )
        with _flock(path, wait=True):
            yield

    # -- addresses ---------------------------------------------------------
    def load_ipam(self) -> dict[str, dict[str, str]]:
        try:
            data: dict[str, dict[str, str]] = json.loads((self.root / "ipam.json").read_text())
        except FileNotFoundError:
            return {}
        return data

    def save_ipam(self, data: dict[str, dict[str, str]]) -> None:
        kept = {k: v for k, v in data.items() if v}
        if kept:
            write_json(self.root / "ipam.json", kept)
        else:
            (self.root / "ipam.json").unlink(missing_ok=True)


@contextlib.contextmanager
def _flock(path: Path, *, wait: bool) -> Iterator[bool]:
    """An exclusive flock on ``path``; yields False when ``wait`` is off and it is taken.

    The file may be unlinked by its holder (a deleted stack drops its lock
    file), so after locking we check the path still names the locked file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            yield False
            return
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield True
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True, default=str))
    os.replace(tmp, path)
