"""Running a validated plan: the Body as a Python function, scripts as callables.

As in murano-agent, the Body runs with the globals ``args`` (the plan's
``Parameters`` as a Bunch) and one callable per script name: ``deploy(cmdline)``
runs the script (an Application script gets ``cmdline`` appended to its command
line), ``deploy.func(...)`` names a function for executors that have them.
Script files are materialised on the first call. This runs inside the plan
process (:mod:`fornace.agent.plan_process`), never inside the agent itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fornace.agent.bunch import Bunch
from fornace.agent.executors import Executor, create_executor
from fornace.agent.files import FilesManager


class FunctionRunner:
    def __init__(self, name: str, script: ScriptRunner) -> None:
        self._name = name
        self._script = script

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._script.execute_function(self._name, *args, **kwargs)


class ScriptRunner:
    def __init__(self, name: str, info: dict[str, Any], files: FilesManager) -> None:
        self._name = name
        self._info = info
        self._files = files
        self._executor: Executor = create_executor(info["Type"], name, info["EntryPoint"])
        self._loaded = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.execute_function(None, *args, **kwargs)

    def __getattr__(self, item: str) -> FunctionRunner:
        if item.startswith("_"):
            raise AttributeError(item)
        return FunctionRunner(item, self)

    def execute_function(self, name: str | None, *args: Any, **kwargs: Any) -> Any:
        if not self._loaded:
            self._executor.load(self._prepare_files(), self._info.get("Options") or {})
            self._loaded = True
        return self._executor.run(name, *args, **kwargs)

    def _prepare_files(self) -> Path:
        for file_ref in self._info.get("Files") or []:
            self._files.put_file(file_ref, self._name)
        if self._info["Type"] == "Application":
            return self._files.put_file(self._info["EntryPoint"], self._name)
        return self._files.script_folder(self._name)


def _unindent(script: str, indent: int) -> str:
    lines = script.expandtabs(4).split("\n")
    margins = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip(" ")]
    cut = min(margins, default=0)
    return "\n".join(" " * indent + line[cut:] for line in lines)


class ExecutionPlanRunner:
    def __init__(self, plan: dict[str, Any], files_root: Path) -> None:
        self._plan = plan
        self._files = FilesManager(plan.get("Files") or {}, files_root)
        self._scripts = {name: ScriptRunner(name, dict(info), self._files)
                         for name, info in (plan.get("Scripts") or {}).items()}

    def run(self) -> Any:
        source = "def __execution_plan_main():\n" + _unindent(self._plan.get("Body") or "", 4) \
            + "\n    pass\n"
        code = compile(source, f"<execution plan {self._plan.get('ID')}>", "exec")
        scope: dict[str, Any] = {"args": Bunch(self._plan.get("Parameters") or {})}
        scope.update(self._scripts)
        exec(code, scope)  # noqa: S102 - the plan's Body is the engine's code, as in Murano
        return scope["__execution_plan_main"]()
