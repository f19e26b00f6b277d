"""Running a command for a script: its own process group, captured output, a timeout.

Each command starts a new session, so its whole tree can be killed at once; the
group id is appended to ``PGID_LOG`` (set by the plan process) so that the agent
can kill leftovers if the plan itself times out.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any

from fornace.agent.bunch import Bunch
from fornace.agent.errors import CustomException, PlanTimeout

PGID_LOG: Path | None = None


def _record(pid: int) -> None:
    if PGID_LOG is not None:
        with open(PGID_LOG, "a") as log:
            log.write(f"{pid}\n")


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _restore_sigpipe() -> None:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def run_command(command: str, *, cwd: Path, name: str, options: dict[str, Any],
                stdin: str | None = None) -> Bunch:
    """Run ``command`` through the shell (as murano-agent did) and build its result.

    ``options``: captureStdout, captureStderr, verifyExitcode (default true) and
    ``timeout`` (seconds, optional; a Fornace addition).
    """
    capture_out = options.get("captureStdout", True)
    capture_err = options.get("captureStderr", True)
    timeout = options.get("timeout")
    process = subprocess.Popen(
        command, shell=True, cwd=cwd, text=True, errors="replace",
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE if capture_out else subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture_err else subprocess.DEVNULL,
        start_new_session=True, preexec_fn=_restore_sigpipe,
    )
    _record(process.pid)
    try:
        stdout, stderr = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process.pid)
        stdout = stderr = ""
        try:
            stdout, stderr = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        raise PlanTimeout(f"Script {name} timed out after {timeout} seconds", {
            "exitCode": process.returncode, "stdout": (stdout or "").strip() or None,
            "stderr": (stderr or "").strip() or None}) from None
    result = Bunch(exitCode=process.returncode,
                   stdout=stdout.strip() if stdout else None,
                   stderr=stderr.strip() if stderr else None)
    if options.get("verifyExitcode", True) and process.returncode != 0:
        raise CustomException(0, f"Script {name} returned error code", dict(result))
    return result
