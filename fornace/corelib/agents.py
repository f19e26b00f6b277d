"""The local-cloud agent broker: one broker-less spool per environment.

The engine builds one per task::

    broker = SpoolAgentBroker(settings.data_dir, environment_id, signer=signer)
    cloud = LocalCloud(settings.data_dir, bind_mounts=[broker.bind_mount()])
    services = EngineServices(..., cloud=cloud, agents=broker)
    ...
    broker.close()            # broker.remove() once the environment is deleted

Instances of the environment see only their environment's spool (at
``/var/lib/fornace-bus``), never the service's bus with its users' tokens.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from fornace.corelib.userdata import instance_bus_folder

# not under /run: the instance mounts a fresh tmpfs there, hiding bind mount points
INSIDE_PATH = "/var/lib/fornace-bus"


class SpoolAgentBroker:
    def __init__(self, data_dir: Path | str, environment_id: str, *, signer: Any = None,
                 inside_path: str = INSIDE_PATH) -> None:
        self.folder = instance_bus_folder(data_dir, environment_id)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        self.environment_id = environment_id
        self.inside_path = inside_path
        self.signer = signer
        self._bus: Any = None
        self._client: Any = None

    def bind_mount(self) -> tuple[str, str]:
        """(host folder, path inside) for ``LocalCloud(bind_mounts=[...])``."""
        return str(self.folder), self.inside_path

    def _open(self) -> Any:
        if self._bus is None:
            from fornace.bus import open_bus, spool_url
            self._bus = open_bus(spool_url(self.folder))
        return self._bus

    def channel(self) -> Any:
        if self._client is None:
            from fornace.bus import AgentClient
            self._client = AgentClient(self._open(), self.result_queue(), self.signer)
        return self._client

    def declare(self, queue: str) -> None:
        self._open().declare_agent_queue(queue)

    def agent_bus_url(self) -> str:
        return f"spool://{self.inside_path}"

    def result_queue(self) -> str:
        return f"-execution-results-{self.environment_id}".lower()

    def public_key_pem(self) -> str:
        return str(self.signer.public_key_pem()) if self.signer is not None else ""

    def close(self) -> None:
        if self._bus is not None:
            self._bus.close()
            self._bus = None
            self._client = None

    def remove(self) -> None:
        """After the environment is deleted: close and erase its spool (queues, results)."""
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
