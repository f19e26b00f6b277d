"""``io.murano.system.HeatStack`` over the engine's cloud driver.

The template is kept in memory during a deployment and read back from the
cloud (``describe``) when first needed, as Murano read it back from Heat.
``push`` sends it when it changed since the last push; a template without
resources deletes the stack.
"""

from __future__ import annotations

import copy
import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from fornace.corelib.errors import StackError
from fornace.corelib.system._base import SystemPart
from fornace.dsl import murano_method
from fornace.errors import FornaceError

log = logging.getLogger(__name__)

HEAT_TEMPLATE_VERSION = "2013-05-23"


def merge_dicts(base: Any, update: Any) -> Any:
    """Murano's merge: mappings deeply, lists appended without duplicates, else the update."""
    if isinstance(base, dict) and isinstance(update, dict):
        result = dict(base)
        for key, value in update.items():
            result[key] = merge_dicts(base[key], value) if key in base else copy.deepcopy(value)
        return result
    if isinstance(base, list) and isinstance(update, list):
        return list(base) + [item for item in update if item not in base]
    return copy.deepcopy(update)


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    """Parallel branches (pselect) share one stack: changes and pushes take turns."""
    @functools.wraps(method)
    def run(self: HeatStack, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)
    return run


class HeatStack(SystemPart):
    def __init__(self, this: Any, name: str = "", description: str | None = None,
                 regionName: str | None = None, **_: Any) -> None:  # noqa: N803
        super().__init__(this)
        self.name = name
        self.description = description
        self.region_name = regionName
        self._template: dict[str, Any] | None = None
        self._parameters: dict[str, Any] = {}
        self._files: dict[str, Any] = {}
        self._hot_environment = ""
        self._applied = True
        self._lock = threading.RLock()

    def _cloud(self) -> Any:
        cloud = self.services.cloud
        if cloud is None:
            raise StackError("no cloud is configured for the engine",
                             hint="Set the engine's cloud driver (e.g. the local cloud).")
        return cloud

    def _load(self) -> dict[str, Any]:
        if self._template is None and self.services.cloud is None:
            self._template, self._parameters = {}, {}  # nothing can have been deployed
        if self._template is None:
            from fornace.clouds.errors import StackNotFound
            try:
                described = self._cloud().describe(self.name)
            except StackNotFound:
                self._template = {}
                self._parameters = {}
            else:
                self._template = copy.deepcopy(dict(described.template))
                self._parameters = dict(described.parameters)
            self._applied = True
        return self._template

    @murano_method
    @_locked
    def current(self) -> dict[str, Any]:
        return copy.deepcopy(self._load())

    @murano_method
    @_locked
    def parameters(self) -> dict[str, Any]:
        self._load()
        return dict(self._parameters)

    @murano_method
    @_locked
    def reload(self) -> dict[str, Any]:
        self._template = None
        return self.current()

    @murano_method
    @_locked
    def set_template(self, template: Any) -> None:
        self._template = dict(template or {})
        self._applied = False

    @murano_method
    @_locked
    def set_parameters(self, parameters: Any) -> None:
        self._parameters = dict(parameters or {})
        self._applied = False

    @murano_method
    @_locked
    def set_files(self, files: Any) -> None:
        self._files = dict(files or {})
        self._applied = False

    @murano_method
    @_locked
    def set_hot_environment(self, hot_environment: Any) -> None:
        self._hot_environment = hot_environment or ""
        self._applied = False

    @murano_method
    @_locked
    def update_template(self, template: Any) -> None:
        template = dict(template or {})
        version = template.get("heat_template_version", HEAT_TEMPLATE_VERSION)
        if str(version) != HEAT_TEMPLATE_VERSION:
            raise StackError(f"Cannot update heat template of version {version}; "
                             f"{HEAT_TEMPLATE_VERSION} is expected")
        self._template = merge_dicts(self._load(), template)
        self._applied = False

    @murano_method
    def output(self) -> dict[str, Any]:
        try:
            return dict(self._cloud().outputs(self.name))
        except FornaceError as exc:
            raise StackError(f"cannot read outputs of stack {self.name}: {exc}") from exc

    @murano_method
    @_locked
    def push(self, async_: bool = False, **kwargs: Any) -> None:
        # ``async`` is a Python keyword: MuranoPL's push(async => true) arrives in kwargs
        template = self._load()
        if self._applied:
            return
        if self._hot_environment:
            log.warning("stack %s: a HOT environment is ignored by this cloud driver", self.name)
        body = copy.deepcopy(template)
        if body.get("resources"):
            body.setdefault("heat_template_version", HEAT_TEMPLATE_VERSION)
            if self.description is not None:
                body["description"] = self.description
        try:
            self._cloud().push(self.name, body, parameters=dict(self._parameters),
                               files=dict(self._files))
        except FornaceError as exc:
            raise StackError(f"stack {self.name} failed: {exc}",
                             hint=getattr(exc, "hint", None)) from exc
        self._applied = True

    @murano_method
    @_locked
    def delete(self) -> None:
        try:
            self._cloud().delete(self.name)
        except FornaceError as exc:
            raise StackError(f"cannot delete stack {self.name}: {exc}") from exc
        self._template = {}
        self._applied = True
