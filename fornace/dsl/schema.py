"""JSON schema of a class's contracts (the API's schemas route, UI forms).

``string/int/bool`` -> ``type`` (with ``null`` unless ``notNull()``), ``class()``
-> ``muranoObject`` + ``muranoType``, ``template()`` adds ``owned``, ``check()``
comparisons -> ``minimum``/``maximum``/``exclusive*``, ``$ in [...]`` -> ``enum``,
``$.matches(re)`` -> ``pattern``; lists -> ``array``; dicts -> ``object``. Only
``In`` and ``InOut`` properties are listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yaql.language import expressions as yx

from fornace.dsl import expressions as ex
from fornace.dsl.loader import YaqlExpr
from fornace.dsl.types import MuranoClass, PropertyUsage

_TYPES = {"string": "string", "int": "integer", "bool": "boolean"}
_COMPARE = {">": "exclusiveMinimum", ">=": "minimum", "<": "exclusiveMaximum", "<=": "maximum"}


def _const(node: Any) -> tuple[bool, Any]:
    if isinstance(node, yx.Constant):
        return True, node.value
    if isinstance(node, yx.ListExpression | yx.Function) and getattr(node, "name", "") in ("#list", "list"):
        values = [_const(a) for a in node.args]
        if all(ok for ok, _ in values):
            return True, [v for _, v in values]
    return False, None


def _check(node: Any, schema: dict[str, Any]) -> None:
    if isinstance(node, ex.FastAnd):
        for arg in node.args:
            _check(arg, schema)
        return
    if isinstance(node, ex.FastBinary) and node.op in _COMPARE:
        left, right = node.args
        ok, value = _const(right)
        if ok and isinstance(left, ex.FastVar) and left.name == "$1":
            schema[_COMPARE[node.op]] = value
        return
    if isinstance(node, yx.BinaryOperator) and node.operator == "in":
        ok, values = _const(node.args[1])
        if ok:
            schema["enum"] = values
        return
    if isinstance(node, ex.DotCall) and node.method == "matches" and node.call_args:
        ok, value = _const(node.call_args[0])
        if ok:
            schema["pattern"] = value


def _chain_schema(node: Any, scope: MuranoClass | None) -> dict[str, Any]:
    steps = []
    while isinstance(node, ex.DotCall):
        steps.append(node)
        node = node.left
    schema: dict[str, Any] = {}
    nullable = True
    for step in reversed(steps):
        name = step.method
        if name in _TYPES:
            schema["type"] = _TYPES[name]
        elif name == "notNull":
            nullable = False
        elif name in ("class", "template") and step.call_args:
            schema["type"] = "muranoObject"
            target = step.call_args[0]
            if isinstance(target, ex.TypeRefNode) and scope is not None:
                try:
                    schema["muranoType"] = scope.resolver.resolve_pair(target.ns, target.type_name)
                except KeyError:
                    schema["muranoType"] = target.type_name
            elif isinstance(target, yx.Constant):
                name_text = str(target.value)
                schema["muranoType"] = scope.resolver.resolve(name_text) if scope else name_text
            if name == "template":
                schema["owned"] = True
        elif name == "check" and step.call_args:
            _check(step.call_args[0], schema)
    if "type" in schema and nullable:
        schema["type"] = [schema["type"], "null"]
    return schema


def contract_schema(data: Any, scope: MuranoClass | None = None) -> dict[str, Any]:
    if isinstance(data, YaqlExpr):
        return _chain_schema(data.parsed, scope)
    if isinstance(data, list):
        items = list(data)
        bounds = []
        while items and isinstance(items[-1], int) and not isinstance(items[-1], bool):
            bounds.insert(0, items.pop())
        schema: dict[str, Any] = {"type": "array"}
        if len(items) == 1:
            schema["items"] = contract_schema(items[0], scope)
        elif items:
            schema["items"] = [contract_schema(i, scope) for i in items]
            schema["additionalItems"] = contract_schema(items[-1], scope)
        if bounds:
            schema["minItems"] = bounds[0]
        if len(bounds) > 1:
            schema["maxItems"] = bounds[1]
        return schema
    if isinstance(data, Mapping):
        props = {}
        extra: Any = False if data else True
        for key, value in data.items():
            if isinstance(key, YaqlExpr):
                extra = contract_schema(value, scope)
            else:
                props[str(key)] = contract_schema(value, scope)
        return {"type": "object", "properties": props, "additionalProperties": extra}
    if data is None:
        return {}
    return {"enum": [data]}


def _meta_text(meta: Any, short: str) -> Any:
    for item in meta or []:
        if isinstance(item, Mapping):
            for name, props in item.items():
                if str(name).rsplit(".", 1)[-1].rsplit(":", 1)[-1] == short and isinstance(
                        props, Mapping):
                    return props.get("text", props.get("visible"))
    return None


def class_schema(cls: MuranoClass) -> dict[str, Any]:
    """The JSON schema of the In/InOut properties of ``cls`` (inherited ones included)."""
    properties: dict[str, Any] = {}
    required = []
    for name, prop in cls.all_properties().items():
        if prop.usage not in (PropertyUsage.In, PropertyUsage.InOut):
            continue
        schema = contract_schema(prop.contract_data, prop.declaring_type)
        if prop.has_default and not isinstance(prop.default, YaqlExpr):
            schema["default"] = ex.thaw(prop.default)
        for field, short in (("title", "Title"), ("description", "Description"),
                             ("helpText", "HelpText")):
            text = _meta_text(prop.meta, short)
            if text is not None:
                schema[field] = text
        properties[name] = schema
        kinds = schema.get("type")
        if isinstance(kinds, str) and kinds not in ("array", "object") and not prop.has_default:
            required.append(name)
    result: dict[str, Any] = {"$schema": "http://json-schema.org/draft-04/schema#",
                              "type": "object", "properties": properties}
    if required:
        result["required"] = required
    title = _meta_text(cls.meta, "Title")
    if title is not None:
        result["title"] = title
    return result
