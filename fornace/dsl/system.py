"""Python "system classes": MuranoPL classes whose methods are written in Python.

Opt-in exposure (the inverse of Jinja's ``@unsafe``): only methods marked
with :func:`murano_method` are callable from MuranoPL; nothing else of the
Python class is reachable. Instance methods receive the Python instance
(built once per object with ``cls(this, **matching properties)``), static
ones only their arguments. Arguments arrive as mutable Python data
(objects stay :class:`~fornace.dsl.runtime.MuranoObject`); results are frozen.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from fornace.dsl.contracts import AnyContract
from fornace.dsl.types import (
    ArgumentUsage,
    MethodScope,
    MethodUsage,
    MuranoArgument,
    MuranoClass,
    MuranoMethod,
)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class MethodExport:
    name: str | None
    usage: MethodUsage
    scope: MethodScope


def murano_method(fn: F | None = None, *, name: str | None = None, static: bool = False,
                  extension: bool = False, public: bool = False) -> Any:
    """Mark a Python method as callable from MuranoPL."""
    def mark(func: F) -> F:
        usage = MethodUsage.Extension if extension else (
            MethodUsage.Static if static else MethodUsage.Runtime)
        func.__murano_export__ = MethodExport(  # type: ignore[attr-defined]
            name, usage, MethodScope.Public if public else MethodScope.Session)
        return func
    if fn is not None:
        return mark(fn)
    return mark


_current = threading.local()


def current_executor() -> Any:
    """The executor running the current MuranoPL call (for static Python methods)."""
    return getattr(_current, "executor", None)


def set_current_executor(executor: Any) -> None:
    _current.executor = executor


def _python_arguments(fn: Callable[..., Any], skip_first: bool) -> list[MuranoArgument]:
    params = list(inspect.signature(fn).parameters.values())
    if skip_first:
        params = params[1:]
    arguments = []
    for p in params:
        arg = MuranoArgument.__new__(MuranoArgument)
        arg.name = p.name
        arg.contract = AnyContract()
        arg.contract_data = None
        arg.meta = None
        arg.default = p.default if p.default is not inspect.Parameter.empty else object()
        from fornace.dsl.types import NO_DEFAULT
        if p.default is inspect.Parameter.empty:
            arg.default = NO_DEFAULT
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            arg.usage = ArgumentUsage.VarArgs
        elif p.kind is inspect.Parameter.VAR_KEYWORD:
            arg.usage = ArgumentUsage.KwArgs
        else:
            arg.usage = ArgumentUsage.Standard
        arguments.append(arg)
    return arguments


class SystemRegistry:
    """FQN -> Python class, per package."""

    def __init__(self) -> None:
        self._classes: dict[str, tuple[str, type]] = {}

    def register(self, fqn: str, python_class: type, package: str = "io.murano") -> None:
        self._classes[fqn] = (package, python_class)

    def copy(self) -> SystemRegistry:
        other = SystemRegistry()
        other._classes = dict(self._classes)
        return other

    def package_of(self, fqn: str) -> str | None:
        entry = self._classes.get(fqn)
        return entry[0] if entry else None

    def classes_of(self, package: str) -> set[str]:
        return {fqn for fqn, (pkg, _) in self._classes.items() if pkg == package}

    def attach(self, cls: MuranoClass, executor: Any) -> None:
        entry = self._classes.get(cls.name)
        if entry is None:
            return
        python_class = entry[1]
        cls.extension_class = python_class
        for attr_name, member in inspect.getmembers(python_class):
            raw = inspect.getattr_static(python_class, attr_name)
            export: MethodExport | None = getattr(raw, "__murano_export__", None) or getattr(
                member, "__murano_export__", None)
            if export is None:
                continue
            is_static = isinstance(raw, staticmethod | classmethod) or \
                export.usage != MethodUsage.Runtime
            fn = member
            name = export.name or _camel(attr_name)
            method = MuranoMethod(
                name, cls, usage=export.usage if is_static else MethodUsage.Runtime,
                scope=export.scope, arguments=_python_arguments(fn, not is_static), python=fn)
            if name not in cls.methods:
                cls.methods[name] = method

    _params: dict[type, Any] = {}

    @classmethod
    def init_parameters(cls, python_class: type) -> Any:
        params = cls._params.get(python_class)
        if params is None:
            params = inspect.signature(python_class.__init__).parameters
            cls._params[python_class] = params
        return params

    @classmethod
    def needs_properties(cls, python_class: type) -> bool:
        """Does the Python part take input properties (else it is built lazily)?"""
        return any(p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                   for name, p in cls.init_parameters(python_class).items()
                   if name not in ("self", "this"))

    def construct(self, cls: MuranoClass, obj: Any, props: Mapping[str, Any]) -> Any:
        python_class = cls.extension_class
        if python_class is None:
            return None
        params = self.init_parameters(python_class)
        kwargs = {k: v for k, v in props.items() if k in params and k not in ("self", "this")}
        from fornace.dsl.expressions import thaw
        return python_class(obj, **{k: thaw(v) for k, v in kwargs.items()})


def _camel(name: str) -> str:
    name = name.rstrip("_")
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


_DEFAULT = SystemRegistry()


def default_registry() -> SystemRegistry:
    """A copy of the built-in registry (io.murano.Object, GC, Logger, TestFixture...)."""
    from fornace.dsl import builtin  # noqa: F401 - registers the built-in classes
    return _DEFAULT.copy()


def register_builtin(fqn: str, package: str = "io.murano") -> Callable[[type], type]:
    def decorate(python_class: type) -> type:
        _DEFAULT.register(fqn, python_class, package)
        return python_class
    return decorate
