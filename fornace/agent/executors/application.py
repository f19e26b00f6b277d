"""``Type: Application``: run the entry point file through the shell in its folder."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from fornace.agent._process import run_command
from fornace.agent.bunch import Bunch


class ApplicationExecutor:
    def __init__(self, name: str) -> None:
        self._name = name
        self._path = Path()
        self._options: dict[str, Any] = {}

    def load(self, path: Path, options: dict[str, Any]) -> None:
        self._path = path
        self._options = options

    def run(self, function: str | None, commandline: Any = "", input: str | None = None) -> Bunch:
        # Murano: chmod, then `./"<entry>" <commandline>` through the shell in its folder;
        # the command line is appended verbatim (the Body builds it).
        self._path.chmod(stat.S_IEXEC | stat.S_IREAD | stat.S_IWRITE)
        command = f'./"{self._path.name}" {commandline}'
        return run_command(command, cwd=self._path.parent, name=self._name,
                           options=self._options, stdin=input)
