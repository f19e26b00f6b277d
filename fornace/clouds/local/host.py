"""Running the host's system tools (iproute2, util-linux, nftables).

Every call goes through :func:`run`, which turns a failure into a
ResourceFailed carrying the command's own error text as its cause.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Sequence

from fornace.clouds.errors import HostNotReady, ResourceFailed

log = logging.getLogger(__name__)

# Tools the driver needs, with the Debian package that brings each.
REQUIRED_TOOLS = {
    "ip": "iproute2",
    "unshare": "util-linux",
    "nsenter": "util-linux",
    "mount": "mount",
    "chroot": "coreutils",
    "bash": "bash",
    "hostname": "hostname",
}
OPTIONAL_TOOLS = {"nft": "nftables"}


def which(tool: str) -> str | None:
    """The tool's path on PATH, or ``None``."""
    return shutil.which(tool)


def require(tool: str) -> str:
    path = which(tool)
    if path is None:
        package = REQUIRED_TOOLS.get(tool) or OPTIONAL_TOOLS.get(tool, tool)
        raise HostNotReady(
            f"The local cloud needs the '{tool}' command, which is not on PATH.",
            cause=f"{tool} not found in PATH={os.environ.get('PATH', '')}",
            hint=f"Install it: apt-get install {package}",
        )
    return path


def run(
    args: Sequence[str],
    *,
    what: str,
    stdin: str | None = None,
    check: bool = True,
    timeout: float = 30,
) -> subprocess.CompletedProcess[str]:
    """Run a tool; on failure raise ResourceFailed naming ``what`` was being done."""
    argv = [require(args[0]), *args[1:]]
    try:
        done = subprocess.run(
            argv, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ResourceFailed(
            f"Could not {what}: the command timed out.",
            cause=" ".join(argv),
            hint="Check the host's load and retry.",
        ) from exc
    if check and done.returncode != 0:
        raise ResourceFailed(
            f"Could not {what}.",
            cause=(done.stderr or done.stdout).strip() or f"exit code {done.returncode}",
            hint="Run `fornace cloud doctor` to check the host.",
        )
    return done


def batch(lines: Sequence[str], *, what: str, netns: str | None = None) -> None:
    """Run several ``ip`` commands in one process (``ip -batch``)."""
    if not lines:
        return
    args = ["ip"] + (["-n", netns] if netns else []) + ["-batch", "-"]
    run(args, what=what, stdin="\n".join(lines) + "\n")
