"""Heat templates (HOT): validation, parameters, intrinsic functions, ordering.

Only what the local driver needs: ``heat_template_version``, ``parameters``
(with defaults and types), ``resources`` (``type``, ``properties``,
``depends_on``, ``metadata``), ``outputs``, and the functions ``get_param``,
``get_resource``, ``get_attr``, ``str_replace``, ``list_join`` and ``get_file``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fornace.clouds.errors import TemplateInvalid

RESOURCE_KEYS = frozenset(
    {
        "type",
        "properties",
        "metadata",
        "depends_on",
        "update_policy",
        "deletion_policy",
        "external_id",
        "condition",
    }
)
TOP_KEYS = frozenset(
    {
        "heat_template_version",
        "description",
        "parameters",
        "resources",
        "outputs",
        "parameter_groups",
        "conditions",
    }
)
FUNCTIONS = frozenset(
    {"get_param", "get_resource", "get_attr", "str_replace", "list_join", "get_file"}
)


class _Unknown:
    """A value not known before the resource it comes from exists."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown until created>"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class ResourceDefinition:
    name: str
    type: str
    properties: dict[str, Any]
    depends_on: frozenset[str]


@dataclass
class Template:
    version: str
    parameters: dict[str, Any]
    resources: dict[str, ResourceDefinition]
    outputs: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    def order(self) -> list[list[str]]:
        """Resources in waves: each wave depends only on earlier waves."""
        return _waves(self.resources)


def _fail(message: str, hint: str | None = None) -> TemplateInvalid:
    return TemplateInvalid(message, hint=hint or "Fix the Heat template and push it again.")


def parse(
    raw: Any,
    parameters: dict[str, Any] | None,
    files: dict[str, str] | None,
    pseudo: dict[str, Any],
) -> Template:
    """Check the template's shape and bind its parameters; raise TemplateInvalid."""
    if not isinstance(raw, dict):
        raise _fail(f"The template must be a mapping, not {type(raw).__name__}.")
    version = raw.get("heat_template_version")
    if version is None:
        raise _fail(
            "The template has no heat_template_version.",
            "Add heat_template_version: 2013-05-23 (or a later HOT version).",
        )
    unknown_keys = sorted(str(k) for k in raw if k not in TOP_KEYS)
    if unknown_keys:
        raise _fail(f"Unknown top-level section(s) in the template: {', '.join(unknown_keys)}.")
    values = _bind_parameters(raw.get("parameters") or {}, parameters or {})
    values.update(pseudo)
    resources_raw = raw.get("resources") or {}
    if not isinstance(resources_raw, dict):
        raise _fail("The template's resources must be a mapping of name to definition.")
    resources = _implicit_dependencies(
        {str(name): _resource(str(name), body) for name, body in resources_raw.items()}
    )
    for res in resources.values():
        missing = sorted(res.depends_on - resources.keys())
        if missing:
            raise _fail(
                f"Resource {res.name!r} refers to unknown resource(s): {', '.join(missing)}."
            )
    outputs_raw = raw.get("outputs") or {}
    if not isinstance(outputs_raw, dict):
        raise _fail("The template's outputs must be a mapping.")
    outputs: dict[str, Any] = {}
    for key, body in outputs_raw.items():
        if not isinstance(body, dict) or "value" not in body:
            raise _fail(f"Output {key!r} must be a mapping with a value.")
        refs = set(_references(body["value"]))
        missing = sorted(refs - resources.keys())
        if missing:
            raise _fail(f"Output {key!r} refers to unknown resource(s): {', '.join(missing)}.")
        outputs[str(key)] = body["value"]
    template = Template(str(version), values, resources, outputs, dict(files or {}), raw)
    template.order()  # raises on cycles
    return template


def _resource(name: str, body: Any) -> ResourceDefinition:
    if not isinstance(body, dict):
        raise _fail(f"Resource {name!r} must be a mapping with a type.")
    rtype = body.get("type")
    if not isinstance(rtype, str) or not rtype:
        raise _fail(f"Resource {name!r} has no type.")
    extra = sorted(str(k) for k in body if k not in RESOURCE_KEYS)
    if extra:
        raise _fail(f"Resource {name!r} has unknown key(s): {', '.join(extra)}.")
    properties = body.get("properties") or {}
    if not isinstance(properties, dict):
        raise _fail(f"The properties of resource {name!r} must be a mapping.")
    depends = body.get("depends_on") or []
    if isinstance(depends, str):
        depends = [depends]
    if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
        raise _fail(f"depends_on of resource {name!r} must be a name or a list of names.")
    refs = set(_references(properties)) | set(depends)
    if name in refs:
        raise _fail(f"Resource {name!r} refers to itself.")
    return ResourceDefinition(name, rtype, properties, frozenset(refs))


def _implicit_dependencies(
    resources: dict[str, ResourceDefinition],
) -> dict[str, ResourceDefinition]:
    """As Heat does: what uses a network of the template waits for that network's subnets."""
    subnets_of: dict[str, set[str]] = {}
    for res in resources.values():
        if res.type == "OS::Neutron::Subnet":
            ref = res.properties.get("network", res.properties.get("network_id"))
            fn = _function(ref)
            if fn is not None and fn[0] == "get_resource" and isinstance(fn[1], str):
                subnets_of.setdefault(fn[1], set()).add(res.name)
    out = {}
    for name, res in resources.items():
        extra: set[str] = set()
        if res.type in ("OS::Nova::Server", "OS::Neutron::Port", "OS::Neutron::FloatingIP"):
            for ref in res.depends_on:
                extra |= subnets_of.get(ref, set())
        extra.discard(name)
        out[name] = (
            ResourceDefinition(name, res.type, res.properties, res.depends_on | extra)
            if extra - res.depends_on
            else res
        )
    return out


def _bind_parameters(declared: Any, given: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(declared, dict):
        raise _fail("The template's parameters must be a mapping.")
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise _fail(
            f"Parameter(s) not defined in the template: {', '.join(unknown)}.",
            "Declare them under parameters: or stop passing them.",
        )
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if not isinstance(spec, dict):
            raise _fail(f"Parameter {name!r} must be a mapping with a type.")
        ptype = spec.get("type", "string")
        if name in given:
            value = given[name]
        elif "default" in spec:
            value = spec["default"]
        else:
            raise _fail(
                f"Parameter {name!r} has no value and no default.",
                f"Pass a value for {name!r} or give it a default in the template.",
            )
        values[str(name)] = _coerce(str(name), ptype, value)
    return values


def _coerce(name: str, ptype: Any, value: Any) -> Any:
    try:
        if ptype == "string":
            return (
                ""
                if value is None
                else value
                if isinstance(value, str)
                else json.dumps(value)
                if isinstance(value, (dict, list))
                else str(value)
            )
        if ptype == "number":
            if isinstance(value, bool):
                raise ValueError(value)
            number = float(value)
            return int(number) if number.is_integer() else number
        if ptype == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).lower()
            if text in ("true", "t", "on", "yes", "y", "1"):
                return True
            if text in ("false", "f", "off", "no", "n", "0"):
                return False
            raise ValueError(value)
        if ptype == "json":
            return json.loads(value) if isinstance(value, str) else value
        if ptype == "comma_delimited_list":
            if isinstance(value, list):
                return [str(v) for v in value]
            return [part.strip() for part in str(value).split(",")] if value != "" else []
    except (TypeError, ValueError) as exc:
        raise _fail(f"Parameter {name!r}: {value!r} is not a valid {ptype}.") from exc
    raise _fail(
        f"Parameter {name!r} has unknown type {ptype!r}.",
        "Use string, number, boolean, json or comma_delimited_list.",
    )


def _function(node: Any) -> tuple[str, Any] | None:
    if isinstance(node, dict) and len(node) == 1:
        key = next(iter(node))
        if key in FUNCTIONS:
            return str(key), node[key]
    return None


def _references(node: Any) -> Iterator[str]:
    """Names of resources a value refers to through get_resource / get_attr."""
    fn = _function(node)
    if fn is not None:
        name, args = fn
        if name == "get_resource" and isinstance(args, str):
            yield args
        elif name == "get_attr" and isinstance(args, list) and args and isinstance(args[0], str):
            yield args[0]
        yield from _references(args)
        return
    if isinstance(node, dict):
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _waves(resources: dict[str, ResourceDefinition]) -> list[list[str]]:
    done: set[str] = set()
    waves: list[list[str]] = []
    pending = dict(resources)
    while pending:
        wave = sorted(n for n, r in pending.items() if r.depends_on <= done)
        if not wave:
            raise _fail(f"Circular dependency between resources: {', '.join(sorted(pending))}.")
        waves.append(wave)
        done.update(wave)
        for name in wave:
            del pending[name]
    return waves


ResourceId = Callable[[str], Any]
ResourceAttr = Callable[[str, str, list[Any]], Any]


class Resolver:
    """Evaluates intrinsic functions against parameters, files and resources."""

    def __init__(self, template: Template, get_id: ResourceId, get_attr: ResourceAttr) -> None:
        self._template = template
        self._get_id = get_id
        self._get_attr = get_attr

    def resolve(self, node: Any, where: str) -> Any:
        fn = _function(node)
        if fn is not None:
            return self._call(fn[0], fn[1], where)
        if isinstance(node, dict):
            return {k: self.resolve(v, where) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v, where) for v in node]
        return node

    def _call(self, name: str, args: Any, where: str) -> Any:
        if name == "get_resource":
            if not isinstance(args, str):
                raise _fail(f"{where}: get_resource takes a resource name.")
            return self._get_id(args)
        if name == "get_param":
            return self._get_param(args, where)
        if name == "get_attr":
            if not isinstance(args, list) or len(args) < 2 or not isinstance(args[0], str):
                raise _fail(f"{where}: get_attr takes [resource, attribute, path...].")
            path = [self.resolve(a, where) for a in args[2:]]
            attr = self.resolve(args[1], where)
            if attr is UNKNOWN or any(p is UNKNOWN for p in path):
                return UNKNOWN
            return self._get_attr(args[0], str(attr), path)
        if name == "str_replace":
            return self._str_replace(args, where)
        if name == "list_join":
            return self._list_join(args, where)
        return self._get_file(args, where)

    def _get_param(self, args: Any, where: str) -> Any:
        path = args if isinstance(args, list) else [args]
        if not path or not isinstance(path[0], str):
            raise _fail(f"{where}: get_param takes a parameter name.")
        if path[0] not in self._template.parameters:
            raise _fail(f"{where}: get_param refers to undeclared parameter {path[0]!r}.")
        value = self._template.parameters[path[0]]
        return walk(value, [self.resolve(p, where) for p in path[1:]])

    def _str_replace(self, args: Any, where: str) -> Any:
        if not isinstance(args, dict) or "template" not in args or "params" not in args:
            raise _fail(f"{where}: str_replace takes template: and params:.")
        text = self.resolve(args["template"], where)
        params = self.resolve(args["params"], where)
        if text is UNKNOWN or params is UNKNOWN:
            return UNKNOWN
        if not isinstance(text, str) or not isinstance(params, dict):
            raise _fail(f"{where}: str_replace needs a string template and a params mapping.")
        # Longest keys first, as Heat does, so that one key inside another is safe.
        for key in sorted(params, key=lambda k: -len(str(k))):
            value = params[key]
            if value is UNKNOWN or contains_unknown(value):
                return UNKNOWN
            if isinstance(value, (dict, list)):
                value = json.dumps(value)
            text = text.replace(str(key), "" if value is None else str(value))
        return text

    def _list_join(self, args: Any, where: str) -> Any:
        if not isinstance(args, list) or len(args) < 2 or not isinstance(args[0], str):
            raise _fail(f"{where}: list_join takes [delimiter, list, ...].")
        items: list[Any] = []
        for part in args[1:]:
            value = self.resolve(part, where)
            if value is UNKNOWN:
                return UNKNOWN
            if not isinstance(value, list):
                raise _fail(f"{where}: list_join joins lists, got {type(value).__name__}.")
            items.extend(value)
        if any(i is UNKNOWN for i in items):
            return UNKNOWN
        return args[0].join(json.dumps(i) if isinstance(i, (dict, list)) else str(i) for i in items)

    def _get_file(self, args: Any, where: str) -> Any:
        if not isinstance(args, str):
            raise _fail(f"{where}: get_file takes a file name.")
        if args not in self._template.files:
            raise _fail(
                f"{where}: get_file refers to {args!r}, which is not among the files given.",
                "Pass the file's content in files= when pushing the stack.",
            )
        return self._template.files[args]


def contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def walk(value: Any, path: list[Any]) -> Any:
    """Follow ``path`` (keys, indexes) into ``value``; ``None`` when it leads nowhere."""
    for step in path:
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int) and -len(value) <= step < len(value):
            value = value[step]
        elif (
            isinstance(value, list)
            and isinstance(step, str)
            and step.isdigit()
            and int(step) < len(value)
        ):
            value = value[int(step)]
        else:
            return None
    return value
