"""Method locking while branches run in parallel (Murano's ``Synchronize`` meta).

By default an instance method is serialised per (object, method) and a static
one per (class, method); the lock is re-entrant for the same branch. Meta
``io.murano.metadata.engine.Synchronize`` changes the key: ``onThis: false``
drops the object (no lock unless ``onArgs`` names arguments), ``onArgs`` adds
those argument values (objects compare by identity). Locks only matter once a
``Parallel`` has started branches, so plain sequential code pays nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fornace.dsl.loader import YaqlExpr

SYNCHRONIZE = "io.murano.metadata.engine.Synchronize"
_DEFAULT = (True, ())


def sync_spec(method: Any) -> tuple[bool, tuple[str, ...]] | None:
    """(on_this, on_args) of a method; None means "no lock"."""
    cached: Any = getattr(method, "_sync_spec", False)
    if cached is not False:
        result: tuple[bool, tuple[str, ...]] | None = cached
        return result
    spec: tuple[bool, tuple[str, ...]] | None = _DEFAULT
    items = method.meta if isinstance(method.meta, list) else ([method.meta] if method.meta else [])
    for item in items:
        pairs = item.items() if isinstance(item, Mapping) else [(item, None)]
        for name, props in pairs:
            text = name.source if isinstance(name, YaqlExpr) else str(name)
            try:
                full = method.declaring_type.resolver.resolve(text)
            except (KeyError, Exception):  # noqa: BLE001 - unknown prefix: not our meta
                continue
            if full != SYNCHRONIZE:
                continue
            props = props or {}
            on_this = bool(props.get("onThis", True))
            on_args = props.get("onArgs") or ()
            if isinstance(on_args, str):
                on_args = (on_args,)
            args = tuple(str(a) for a in on_args)
            spec = (on_this, args) if (on_this or args) else None
    method._sync_spec = spec
    return spec


def _identity(value: Any) -> Any:
    try:
        hash(value)
        return ("v", value) if not hasattr(value, "executor") else ("o", id(value))
    except TypeError:
        return ("o", id(value))


def lock_key(method: Any, receiver: Any, values: list[Any]) -> Any:
    spec = sync_spec(method)
    if spec is None:
        return None
    on_this, on_args = spec
    parts: list[Any] = [id(method)]
    if on_this:
        parts.append(id(receiver))
    if on_args:
        names = [a.name for a in method.arguments]
        for name in on_args:
            if name in names and names.index(name) < len(values):
                parts.append(_identity(values[names.index(name)]))
    return tuple(parts)


class LockTable:
    def __init__(self) -> None:
        self.held: dict[Any, list[Any]] = {}  # key -> [task, depth]

    def acquire(self, key: Any, scheduler: Any) -> None:
        me = scheduler.current()
        while True:
            entry = self.held.get(key)
            if entry is None:
                self.held[key] = [me, 1]
                return
            if entry[0] is me:
                entry[1] += 1
                return
            scheduler.sleep(0)

    def release(self, key: Any) -> None:
        entry = self.held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] <= 0:
            del self.held[key]
