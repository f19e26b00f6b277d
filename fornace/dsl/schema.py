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
from fornace.dsl.types import MuranoClass, MuranoMethod, PropertyUsage

_TYPES = {"string": "string", "int": "integer", "bool": "boolean"}
_COMPARE = {">": "exclusiveMinimum", ">=": "minimum", "<": "exclusiveMaximum", "<=": "maximum"}


def _const(node: Any) -> tuple[bool, Any]:
    if isinstance(node, yx.Constant):
        return True, node.value
    if isinstance(node, yx.ListExpression | yx.Function) and getattr(node, "name",
        "") in ("#list", "list"):
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
        bounds: list[int] = []
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


def raw_meta(meta: Any, scope: MuranoClass | None) -> dict[str, list[Mapping[str, Any]]]:
    """``Meta:`` data by full meta-class name (read directly: no instances are built)."""
    found: dict[str, list[Mapping[str, Any]]] = {}
    items = meta if isinstance(meta, list) else ([meta] if meta else [])
    for item in items:
        pairs = item.items() if isinstance(item, Mapping) else [(item, {})]
        for name, props in pairs:
            text = name.source if isinstance(name, YaqlExpr) else str(name)
            try:
                full = scope.resolver.resolve(text) if scope is not None else text
            except KeyError:
                full = text
            found.setdefault(full, []).append(props if isinstance(props, Mapping) else {})
    return found


_HINTS = (("io.murano.metadata.Title", "title", "text"),
          ("io.murano.metadata.Description", "description", "text"),
          ("io.murano.metadata.HelpText", "helpText", "text"),
          ("io.murano.metadata.forms.Hidden", "visible", "visible"))


def ui_hints(meta: Any, scope: MuranoClass | None) -> dict[str, Any]:
    found = raw_meta(meta, scope)
    hints: dict[str, Any] = {}
    for name, field, prop in _HINTS:
        if name in found:
            default = False if prop == "visible" else None
            hints[field] = ex.thaw(found[name][-1].get(prop, default))
    position = found.get("io.murano.metadata.forms.Position")
    if position:
        hints["formSection"] = position[-1].get("section")
        if position[-1].get("index") is not None:
            hints["formIndex"] = position[-1]["index"]
    return hints


def form_sections(meta_items: list[tuple[Any, MuranoClass]]) -> dict[str, Any]:
    """``forms.Section`` meta, base classes first, renumbered without gaps."""
    sections: dict[str, Mapping[str, Any]] = {}
    for meta, scope in meta_items:
        for props in raw_meta(meta, scope).get("io.murano.metadata.forms.Section", []):
            sections.setdefault(str(props.get("name")), props)
    ordered = sorted((p for p in sections.values() if p.get("index") is not None),
                     key=lambda p: p["index"])
    result: dict[str, Any] = {}
    for index, props in enumerate(ordered):
        result[str(props["name"])] = {"title": props.get("title", props["name"]), "index": index}
    for props in sections.values():
        if props.get("index") is None:
            result[str(props["name"])] = {"title": props.get("title", props["name"])}
    return result


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
        schema.update(ui_hints(prop.meta, prop.declaring_type))
        properties[name] = schema
        kinds = schema.get("type")
        if isinstance(kinds, str) and kinds not in ("array", "object") and not prop.has_default:
            required.append(name)
    result: dict[str, Any] = {"$schema": "http://json-schema.org/draft-04/schema#",
                              "type": "object", "properties": properties,
                              "additionalProperties": False,
                              "formSections": form_sections(
                                  [(c.meta, c) for c in reversed(cls.ancestors())])}
    if required:
        result["required"] = required
    result.update(ui_hints(cls.meta, cls))
    return result


def method_schema(method: MuranoMethod) -> dict[str, Any]:
    """The JSON schema of a method's standard arguments (model builders)."""
    scope = method.declaring_type
    properties: dict[str, Any] = {}
    for arg in method.standard:
        schema = contract_schema(arg.contract_data, scope)
        if arg.has_default and not isinstance(arg.default, YaqlExpr):
            schema["default"] = ex.thaw(arg.default)
        schema.update(ui_hints(arg.meta, scope))
        properties[arg.name] = schema
    result: dict[str, Any] = {"$schema": "http://json-schema.org/draft-04/schema#",
                              "type": "object", "properties": properties,
                              "additionalProperties": False,
                              "formSections": form_sections([(method.meta, scope)])}
    result.update(ui_hints(method.meta, scope))
    return result


def model_builders(cls: MuranoClass) -> list[str]:
    """Static public methods with enabled ``io.murano.metadata.ModelBuilder`` meta."""
    names = []
    for name, method in cls.all_methods().items():
        if not (method.is_static and method.is_action):
            continue
        builder = raw_meta(method.meta, method.declaring_type).get(
            "io.murano.metadata.ModelBuilder")
        if builder and builder[-1].get("enabled", True):
            names.append(name)
    return names


def generate_schema(executor: Any, class_name: str, method_names: Any = None,
                    class_version: str | None = None,
                    package_name: str | None = None) -> dict[str, Any]:
    """Murano's schema call: ``''`` for the class plus one entry per model builder asked."""
    cls = executor.load_class(class_name, class_version, package_name)
    if isinstance(method_names, str):
        method_names = [method_names]
    available = ["", *model_builders(cls)]
    wanted = [n for n in available if not method_names or n in method_names]
    return {name: class_schema(cls) if name == "" else method_schema(cls.find_method(name))
            for name in wanted}
