"""Objects back to the object model (``?`` form), and ``dump()``.

Each object appears inline exactly once: inside its owner when the owner is
part of the output (at the first owner property that references it),
otherwise at its first reference; every other occurrence is its id string.
References to objects that end up nowhere in the output are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fornace.dsl.runtime import CastView, MuranoObject, TypeRef
from fornace.dsl.types import SERIALIZABLE_USAGES, MuranoClass

_DROP = object()


def type_string(cls: MuranoClass) -> str:
    return f"{cls.name}/{cls.version}@{cls.package.name}"


def _props(obj: MuranoObject, view_type: MuranoClass | None = None) -> dict[str, Any]:
    cls = view_type or obj.type
    result = {}
    for name, prop in cls.all_properties().items():
        if prop.usage in SERIALIZABLE_USAGES and name in obj.values:
            result[name] = obj.values[name]
    return result


def _children(value: Any, out: list[MuranoObject]) -> None:
    if type(value) is MuranoObject:
        out.append(value)
    elif type(value) is CastView:
        out.append(value.obj)
    elif isinstance(value, Mapping):
        for v in value.values():
            _children(v, out)
    elif isinstance(value, tuple | list):
        for v in value:
            _children(v, out)


def _placement(root: MuranoObject) -> tuple[dict[str, MuranoObject], dict[str, str]]:
    """Objects in the output and, for each, the id of the object it is inlined in."""
    order: dict[str, MuranoObject] = {}
    first_ref: dict[str, str] = {}
    owner_refs: set[str] = set()
    stack = [root]
    order[root.id] = root
    while stack:
        obj = stack.pop(0)
        refs: list[MuranoObject] = []
        for value in _props(obj).values():
            _children(value, refs)
        for child in refs:
            if child.destroyed and child.id not in order:
                continue
            first_ref.setdefault(child.id, obj.id)
            if child.owner is obj:
                owner_refs.add(child.id)
            if child.id not in order:
                order[child.id] = child
                stack.append(child)
    place: dict[str, str] = {}
    for oid, obj in order.items():
        if oid == root.id:
            continue
        if oid in owner_refs and obj.owner is not None and obj.owner.id in order:
            place[oid] = obj.owner.id
        else:
            place[oid] = first_ref[oid]
    return order, place


def _header(executor: Any, obj: MuranoObject, with_actions: bool) -> dict[str, Any]:
    header: dict[str, Any] = {"type": type_string(obj.type), "id": obj.id, "name": obj.name}
    if obj.metadata is not None:
        header["metadata"] = _plain(obj.metadata)
    if obj.destroyed:
        header["destroyed"] = True
    if obj.dependencies:
        header["dependencies"] = {"onDestruction": [
            {"subscriber": sid, "handler": handler} for sid, handler in obj.dependencies]}
    if with_actions:
        actions = actions_of(obj)
        if actions:
            header["_actions"] = actions
        header.update(_plain(obj.designer))
    return header


def actions_of(obj: MuranoObject) -> dict[str, Any]:
    actions = {}
    previous = obj.designer.get("_actions") or {}
    for name, method in obj.type.all_methods().items():
        if not method.is_action or name.startswith("."):
            continue
        key = f"{obj.id}_{name}"
        entry: dict[str, Any] = {"name": name, "title": name,
                                 "enabled": bool(previous.get(key, {}).get("enabled", True))}
        for item in method.meta or []:
            if isinstance(item, Mapping):
                for meta_name, meta_props in item.items():
                    short = str(meta_name).rsplit(".", 1)[-1].rsplit(":", 1)[-1]
                    if short in ("Title", "Description", "HelpText") and isinstance(
                            meta_props, Mapping):
                        field = {"Title": "title", "Description": "description",
                                 "HelpText": "helpText"}[short]
                        entry[field] = str(meta_props.get("text"))
        actions[key] = entry
    return actions


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, TypeRef):
        return type_string(value.type)
    return value


def serialize_tree(executor: Any, root: MuranoObject | None, with_actions: bool = True) -> Any:
    if root is None:
        return None
    order, place = _placement(root)

    def convert(value: Any, container: MuranoObject) -> Any:
        t = type(value)
        if t is MuranoObject or t is CastView:
            obj = value if t is MuranoObject else value.obj
            if obj.id not in order:
                return _DROP
            if place.get(obj.id) == container.id and obj.id not in emitted:
                return emit(obj)
            return obj.id
        if isinstance(value, Mapping):
            out = {}
            for k, v in value.items():
                c = convert(v, container)
                if c is not _DROP:
                    out[_plain(k)] = c
            return out
        if isinstance(value, tuple | list):
            return [c for c in (convert(v, container) for v in value) if c is not _DROP]
        if isinstance(value, TypeRef):
            return type_string(value.type)
        return value

    emitted: set[str] = set()

    def emit(obj: MuranoObject) -> dict[str, Any]:
        emitted.add(obj.id)
        data: dict[str, Any] = {"?": _header(executor, obj, with_actions)}
        for name, value in _props(obj).items():
            data[name] = convert(value, obj)
        return data

    return emit(root)


def serialize_model(executor: Any, root: MuranoObject | None) -> dict[str, Any]:
    """The model after a deployment: Objects, ObjectsCopy and Attributes."""
    objects = serialize_tree(executor, root, True)
    copy = serialize_tree(executor, root, False)
    known = set(_placement(root)[0]) if root is not None else set()
    return {"Objects": objects, "ObjectsCopy": copy,
            "Attributes": executor.attributes.serialize(known, _plain)}


def serialize_value(executor: Any, value: Any) -> Any:
    """A method result for the API: objects become their ``?`` form."""
    if type(value) in (MuranoObject, CastView):
        obj = value if type(value) is MuranoObject else value.obj
        return serialize_tree(executor, obj, False)
    if isinstance(value, Mapping):
        return {_plain(k): serialize_value(executor, v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        return [serialize_value(executor, v) for v in value]
    if isinstance(value, TypeRef):
        return type_string(value.type)
    return value


def dump_object(executor: Any, obj: MuranoObject, serialization_type: str = "Serializable",
                view_type: MuranoClass | None = None) -> dict[str, Any]:
    """``dump()``: Serializable (? header, type string), Mixed (? header, type object)
    or Inline (type object as key)."""
    if serialization_type not in ("Serializable", "Mixed", "Inline"):
        raise ValueError(f"Invalid serialization type {serialization_type!r}")
    seen: set[str] = set()

    def convert(value: Any, container: MuranoObject) -> Any:
        t = type(value)
        if t is MuranoObject or t is CastView:
            child = value if t is MuranoObject else value.obj
            if child.id in seen or _as_reference(container, child):
                return child.id
            return one(child, None)
        if isinstance(value, Mapping):
            return {k: convert(v, container) for k, v in value.items()}
        if isinstance(value, tuple | list):
            return [convert(v, container) for v in value]
        return value

    def one(target: MuranoObject, view: MuranoClass | None) -> dict[str, Any]:
        seen.add(target.id)
        props = {k: convert(v, target) for k, v in _props(target, view).items()}
        cls = view or target.type
        if serialization_type == "Inline":
            result: dict[str, Any] = {executor.type_ref(cls): props, "id": target.id,
                                      "name": target.name}
            if target.metadata is not None:
                result["metadata"] = target.metadata
            return result
        type_value: Any = type_string(cls) if serialization_type == "Serializable" else \
            executor.type_ref(cls)
        header = {"type": type_value, "id": target.id, "name": target.name}
        if target.metadata is not None:
            header["metadata"] = target.metadata
        return {"?": header, **props}

    return one(obj, view_type)


def _as_reference(container: MuranoObject, child: MuranoObject) -> bool:
    for name, prop in container.type.all_properties().items():
        for item in prop.meta or []:
            if isinstance(item, Mapping):
                for meta_name, meta_props in item.items():
                    if str(meta_name).endswith("Serialize") and isinstance(meta_props, Mapping) \
                            and meta_props.get("as") == "reference":
                        value = container.values.get(name)
                        found: list[MuranoObject] = []
                        _children(value, found)
                        if child in found:
                            return True
    return child.owner is not container
