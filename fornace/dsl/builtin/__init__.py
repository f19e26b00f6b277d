"""Built-in classes: a minimal ``io.murano`` package the core library may replace.

MuranoPL parts live in ``io.murano/`` (a package folder); Python parts are
registered here: ``io.murano.Object`` (getAttr/setAttr), ``io.murano.system.GC``,
``io.murano.system.Logger`` and the assertions of ``io.murano.test.TestFixture``.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from fornace.dsl.errors import MuranoPlException
from fornace.dsl.packages import StaticPackageSource, load_package_folder
from fornace.dsl.system import current_executor, murano_method, register_builtin

BUILTIN_DIR = Path(__file__).parent
log = logging.getLogger("fornace.dsl.applications")


@functools.lru_cache(maxsize=1)
def _builtin_package() -> Any:
    return load_package_folder(BUILTIN_DIR / "io.murano")


def builtin_source() -> StaticPackageSource:
    from fornace.dsl.yaql_context import parser_for
    return StaticPackageSource([_builtin_package()], parser_for((1, 4)))


def _caller_type_name(executor: Any, owner: Any) -> str:
    if owner is not None:
        return str(getattr(getattr(owner, "type", None), "name", owner))
    frames = executor.frames
    return frames[-1].type.name if frames else ""


@register_builtin("io.murano.Object")
class ObjectPart:
    def __init__(self, this: Any, **_: Any):
        self.this = this

    @murano_method
    def set_attr(self, name: str, value: Any, owner: Any = None) -> None:
        executor = self.this.executor
        if hasattr(value, "id") and hasattr(value, "type"):
            value = value.id
        executor.attributes.set(self.this.id, _caller_type_name(executor, owner), name, value)

    @murano_method
    def get_attr(self, name: str, default: Any = None, owner: Any = None) -> Any:
        executor = self.this.executor
        return executor.attributes.get(self.this.id, _caller_type_name(executor, owner), name,
                                       default)


@register_builtin("io.murano.system.GC")
class GarbageCollector:
    def __init__(self, this: Any, **_: Any):
        self.this = this

    @murano_method(static=True)
    @staticmethod
    def collect() -> None:
        from fornace.dsl import gc
        gc.collect(current_executor())

    @murano_method(static=True)
    @staticmethod
    def is_doomed(obj: Any) -> bool:
        executor = current_executor()
        return bool(obj.destroyed or obj.id in executor.destroying)

    @murano_method(static=True)
    @staticmethod
    def is_destroyed(obj: Any) -> bool:
        return bool(obj.destroyed)

    @murano_method(static=True)
    @staticmethod
    def subscribe_destruction(publisher: Any, subscriber: Any, handler: str | None = None) -> None:
        if handler is not None and subscriber.type.find_method(handler) is None:
            from fornace.dsl.errors import NoMethodFound
            raise NoMethodFound(handler, subscriber.type.name)
        entry = (subscriber.id, handler)
        if entry not in publisher.dependencies:
            publisher.dependencies.append(entry)

    @murano_method(static=True)
    @staticmethod
    def unsubscribe_destruction(publisher: Any, subscriber: Any, handler: str | None = None) -> None:
        entry = (subscriber.id, handler)
        if entry in publisher.dependencies:
            publisher.dependencies.remove(entry)


@register_builtin("io.murano.system.Logger")
class Logger:
    def __init__(self, this: Any, logger_name: str | None = None, loggerName: str | None = None,  # noqa: N803
                 **_: Any):
        self.this = this
        self.name = "applications." + str(loggerName or logger_name or "")
        self.log = logging.getLogger(self.name)

    def _emit(self, level: int, message: Any, args: Any, kwargs: Any) -> None:
        from fornace.dsl.sandbox import safe_format
        text = str(message)
        try:
            text = safe_format(text, args, kwargs)
        except Exception:  # noqa: BLE001 - a bad placeholder logs the raw message
            self.log.warning("cannot format log message %r", text)
        self.log.log(level, "%s", text)
        executor = self.this.executor
        executor.log_records.append((self.name, logging.getLevelName(level), text))

    @murano_method
    def trace(self, message: Any, *args: Any, **kwargs: Any) -> None:
        self._emit(5, message, args, kwargs)

    @murano_method
    def debug(self, message: Any, *args: Any, **kwargs: Any) -> None:
        self._emit(logging.DEBUG, message, args, kwargs)

    @murano_method
    def info(self, message: Any, *args: Any, **kwargs: Any) -> None:
        self._emit(logging.INFO, message, args, kwargs)

    @murano_method
    def warning(self, message: Any, *args: Any, **kwargs: Any) -> None:
        self._emit(logging.WARNING, message, args, kwargs)

    @murano_method
    def error(self, message: Any, *args: Any, **kwargs: Any) -> None:
        self._emit(logging.ERROR, message, args, kwargs)

    @murano_method
    def critical(self, message: Any, *args: Any, **kwargs: Any) -> None:
        self._emit(logging.CRITICAL, message, args, kwargs)

    @murano_method
    def exception(self, exc: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        trace = exc.get_property("stackTrace") if hasattr(exc, "get_property") else exc
        self._emit(logging.ERROR, f"{message}\n{trace}", args, kwargs)


def _fail(message: str | None, default: str) -> None:
    raise MuranoPlException(["AssertionError"], message or default)


@register_builtin("io.murano.test.TestFixture")
class TestFixturePart:
    def __init__(self, this: Any, **_: Any):
        self.this = this

    @murano_method
    def assert_equal(self, expected: Any, observed: Any, message: str | None = None) -> None:
        if expected != observed:
            _fail(message, f"{observed!r} != {expected!r}")

    @murano_method
    def assert_not_equal(self, expected: Any, observed: Any, message: str | None = None) -> None:
        if expected == observed:
            _fail(message, f"{observed!r} == {expected!r}")

    @murano_method
    def assert_true(self, expr: Any, message: str | None = None) -> None:
        if not expr:
            _fail(message, f"{expr!r} is not true")

    @murano_method
    def assert_false(self, expr: Any, message: str | None = None) -> None:
        if expr:
            _fail(message, f"{expr!r} is not false")

    @murano_method
    def assert_in(self, needle: Any, haystack: Any, message: str | None = None) -> None:
        if needle not in haystack:
            _fail(message, f"{needle!r} not found in {haystack!r}")

    @murano_method
    def assert_not_in(self, needle: Any, haystack: Any, message: str | None = None) -> None:
        if needle in haystack:
            _fail(message, f"{needle!r} unexpectedly found in {haystack!r}")

    @murano_method
    def fail(self, message: str | None = None) -> None:
        _fail(message, "failed")


__all__ = ["builtin_source", "BUILTIN_DIR"]
