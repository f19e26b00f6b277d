"""Script executors by ``Type``: Application always; Chef and Puppet when their tool is on PATH."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Protocol

from fornace.agent.errors import GENERIC_ERROR, AgentException


class Executor(Protocol):
    def load(self, path: Path, options: dict[str, Any]) -> None: ...

    def run(self, function: str | None, *args: Any, **kwargs: Any) -> Any: ...


_TOOLS = {"Chef": "chef-solo", "Puppet": "puppet"}


def create_executor(script_type: str, script_name: str, entry_point: str) -> Executor:
    from fornace.agent.executors.application import ApplicationExecutor
    from fornace.agent.executors.chef import ChefExecutor
    from fornace.agent.executors.puppet import PuppetExecutor

    if script_type == "Application":
        return ApplicationExecutor(script_name)
    if script_type in _TOOLS:
        tool = _TOOLS[script_type]
        if shutil.which(tool) is None:
            raise AgentException(
                GENERIC_ERROR,
                f"{script_type} scripts are not supported on this instance: {tool!r} is not "
                f"on PATH (script {script_name})",
                {"hint": f"use an image with {tool} installed, or an Application script"})
        return ChefExecutor(entry_point) if script_type == "Chef" else PuppetExecutor(entry_point)
    raise AgentException(GENERIC_ERROR, f"The application type in {script_name} is not a "
                                        f"valid executor {script_type}")
