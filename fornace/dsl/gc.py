"""Reachability GC and ordered destruction of MuranoPL objects.

An object survives while it is reachable from the model root, from a running
method (its ``$this``, arguments and variables), from static properties or
from values pinned by Python code, following every property value (private
slots included), containers and owner links. Doomed objects are destroyed in
Murano's order: destruction notifications level by level from owners and
subscribers down, then ``.destroy`` from owned objects and publishers up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fornace.dsl.runtime import CastView, MuranoObject, TypeRef, run_method
from fornace.dsl.types import SERIALIZABLE_USAGES

log = logging.getLogger(__name__)


def _walk_value(value: Any, found: list[MuranoObject]) -> None:
    t = type(value)
    if t is MuranoObject:
        found.append(value)
    elif t is CastView:
        found.append(value.obj)
    elif t is TypeRef or t is str or t is int or value is None:
        return
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _walk_value(k, found)
            _walk_value(v, found)
    elif isinstance(value, tuple | list | set | frozenset):
        for v in value:
            _walk_value(v, found)


def reachable(roots: Iterable[Any], serializable_only: bool = False) -> set[str]:
    seen: set[str] = set()
    stack: list[MuranoObject] = []
    for root in roots:
        _walk_value(root, stack)
    while stack:
        obj = stack.pop()
        if obj.id in seen:
            continue
        seen.add(obj.id)
        if obj.owner is not None:
            stack.append(obj.owner)
        if serializable_only:
            props = obj.type.all_properties()
            for name, value in obj.values.items():
                prop = props.get(name)
                if prop is not None and prop.usage in SERIALIZABLE_USAGES:
                    _walk_value(value, stack)
        else:
            for value in obj.values.values():
                _walk_value(value, stack)
            for value in obj.private.values():
                _walk_value(value, stack)
    return seen


def _frame_values(executor: Any) -> list[Any]:
    values: list[Any] = []
    for frame in executor.frames:
        values.append(frame.this)
        ctx = frame.context
        while ctx is not None and hasattr(ctx, "_data"):
            values.extend(v for k, v in ctx._data.items() if not k.startswith("$?"))  # noqa: SLF001
            if ctx is frame.method.declaring_type.context:
                break
            ctx = ctx.parent
    for ctx in getattr(executor, "live_contexts", []):
        values.extend(v for k, v in ctx._data.items() if not k.startswith("$?"))  # noqa: SLF001
    return values


def collect(executor: Any, serializable_only: bool = False) -> list[MuranoObject]:
    """Destroy every object not reachable from the roots; returns the destroyed ones."""
    roots: list[Any] = list(executor.roots)
    if not serializable_only:
        roots += _frame_values(executor)
        roots += list(executor.statics.values())
        roots += list(executor.pinned)
    alive = reachable(roots, serializable_only)
    doomed = [o for o in executor.objects.values() if o.id not in alive and not o.destroyed]
    destroy(executor, doomed)
    for obj in doomed:
        executor.objects.pop(obj.id, None)
    return doomed


def _levels(doomed: list[MuranoObject], executor: Any) -> dict[str, int]:
    ids = {o.id for o in doomed}
    by_id = {o.id: o for o in doomed}
    parents: dict[str, list[str]] = {}
    for obj in doomed:
        refs = []
        if obj.owner is not None and obj.owner.id in ids:
            refs.append(obj.owner.id)
        for subscriber_id, _ in obj.dependencies:
            if subscriber_id in ids:
                refs.append(subscriber_id)
        parents[obj.id] = refs
    level: dict[str, int] = {}

    def compute(oid: str, visiting: set[str]) -> int:
        if oid in level:
            return level[oid]
        if oid in visiting:
            return 0
        visiting.add(oid)
        value = 1 + max((compute(p, visiting) for p in parents[oid]), default=-1)
        visiting.discard(oid)
        level[oid] = value
        return value

    for oid in by_id:
        compute(oid, set())
    return level


def destroy(executor: Any, doomed: list[MuranoObject]) -> None:
    if not doomed:
        return
    levels = _levels(doomed, executor)
    ordered = sorted(doomed, key=lambda o: levels[o.id])
    executor.destroying.update(o.id for o in doomed)
    try:
        for obj in ordered:  # notifications, owners and subscribers first
            for subscriber_id, handler in list(obj.dependencies):
                subscriber = executor.objects.get(subscriber_id)
                if handler and subscriber is not None and not subscriber.destroyed:
                    _safe(executor, subscriber, handler, [obj])
        for obj in reversed(ordered):  # .destroy: owned objects and publishers first
            for cls in obj.type.ancestors():
                method = cls.methods.get(".destroy")
                if method is not None:
                    _safe_method(executor, method, obj)
            obj.destroyed = True
            executor.attributes.forget(obj.id)
    finally:
        executor.destroying.difference_update(o.id for o in doomed)


def _safe(executor: Any, obj: MuranoObject, method_name: str, args: list[Any]) -> None:
    method = obj.type.find_method(method_name)
    if method is None:
        return
    _safe_method(executor, method, obj, args)


def _safe_method(executor: Any, method: Any, obj: MuranoObject, args: list[Any] | None = None) -> None:
    try:
        run_method(executor, method, obj, args or [], {})
    except Exception as exc:  # noqa: BLE001 - destructors never stop the collection
        log.warning("%s of %s failed: %s", method.name, obj, exc)
        executor.warnings.append(f"{method.name} of {obj.type.name} failed: {exc}")
