"""The boot script that starts ``fornace agent`` inside a local instance.

The instance sees the host's file system read-only through its overlay, so the
agent runs from the very interpreter and code the engine runs from
(``sys.executable`` and the folder holding the ``fornace`` package) — nothing is
hard-coded. The agent's bus is a spool folder of the environment's own,
bind-mounted into its instances (``SpoolAgentBroker``); never the service's bus.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import fornace

AGENT_WORK_DIR = "/var/lib/fornace-agent"
AGENT_LOG = "/var/log/fornace-agent.log"
SIGNING_KEY_PATH = "/etc/fornace-agent/engine-key.pem"


def code_root() -> Path:
    """The folder that holds the ``fornace`` package the engine runs."""
    return Path(fornace.__file__).resolve().parent.parent


def agent_user_data(bus_url: str, queue: str, *, result_queue: str | None = None,
                    signing_key_pem: str = "", python: str | None = None,
                    hostname: str | None = None) -> str:
    """A shell script (user data, run as root at boot) that execs the instance's agent."""
    python = python or sys.executable
    command = [python, "-m", "fornace.cli.main", "agent", "--bus-url", bus_url,
               "--queue", queue, "--work-dir", AGENT_WORK_DIR]
    if result_queue:
        command += ["--result-queue", result_queue]
    lines = ["#!/bin/sh", "# Fornace: start the instance's agent (written by LinuxMuranoInstance)",
             "set -e", f"mkdir -p {AGENT_WORK_DIR} /etc/fornace-agent"]
    if hostname:
        lines.append(f"hostname {shlex.quote(hostname)} 2>/dev/null || true")
    if signing_key_pem.strip():
        lines += [f"cat > {SIGNING_KEY_PATH} <<'FORNACE_KEY'", signing_key_pem.strip(),
                  "FORNACE_KEY"]
        command += ["--signing-key", SIGNING_KEY_PATH]
    lines += [f"export PYTHONPATH={shlex.quote(str(code_root()))}",
              f"exec {shlex.join(command)} >>{AGENT_LOG} 2>&1", ""]
    return "\n".join(lines)


def instance_bus_folder(data_dir: Path | str, environment_id: str) -> Path:
    """Host folder of an environment's agent spool (bind-mounted into its instances)."""
    safe = "".join(c for c in str(environment_id) if c.isalnum() or c in "-_")
    if not safe:
        raise ValueError(f"unusable environment id {environment_id!r}")
    return Path(data_dir) / "agents" / safe
