"""What Chef and Puppet share: ``cookbook::recipe`` entry points and running the tool."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from fornace.agent._process import run_command
from fornace.agent.bunch import Bunch
from fornace.agent.errors import CustomException


class ConfigManagementExecutor:
    def __init__(self, name: str) -> None:
        self._name = name  # the entry point, "module::recipe"
        self._path = Path()
        self._options: dict[str, Any] = {}

    def load(self, path: Path, options: dict[str, Any]) -> None:
        self._path = path
        self._options = options

    def _split_entry(self) -> tuple[str, str]:
        if "::" not in self._name:
            raise CustomException(0, f"Module recipe name format {self._name} is not valid")
        cut = self._name.rfind("::")
        return self._name[:cut], self._name[cut + 2:]

    def _run(self, argv: list[str]) -> Bunch:
        return run_command(shlex.join(argv), cwd=self._path, name=self._name,
                           options=self._options)
