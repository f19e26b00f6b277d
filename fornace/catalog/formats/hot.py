"""Heat packages (Format Heat.HOT/1.0): the template becomes a MuranoPL class and a UI.

The translation follows Murano's: one class named after the package that
extends io.murano.Application and deploys the template as a Heat stack, and a
UI (Version 2) with a first form for the application name, one form per HOT
``parameter_groups`` entry and one for the remaining parameters. Every
generated string is double-quoted and real expressions carry ``!yaql``.
"""

from __future__ import annotations

from typing import Any, Final

from fornace.catalog.errors import PackageError
from fornace.catalog.formats.base import ClassDefinition, FormatContent
from fornace.catalog.manifest import Manifest
from fornace.catalog.yaml_loader import (
    PackageYamlError,
    dump_yaml,
    load_yaml,
)
from fornace.catalog.yaml_loader import (
    YaqlExpression as Q,
)

TEMPLATE: Final = "template.yaml"
HOT_FILES: Final = "Resources/HotFiles/"
HOT_ENVIRONMENTS: Final = "Resources/HotEnvironments/"
_CONTRACT_BY_TYPE: Final = {"string": "string", "comma_delimited_list": "string",
                            "json": "string", "number": "int", "boolean": "bool"}
_FIELD_BY_TYPE: Final = {"number": "integer", "boolean": "boolean"}


def _literal(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


def _bounds_check(subject: str, spec: dict[str, Any]) -> str | None:
    checks = [f"{subject} >= {int(spec['min'])}"] if "min" in spec else []
    if "max" in spec:
        checks.append(f"{subject} <= {int(spec['max'])}")
    return f".check({' and '.join(checks)})" if checks else None


def _constraint_check(constraint: dict[str, Any]) -> str | None:
    if "allowed_values" in constraint:
        values = ", ".join(_literal(v) for v in constraint["allowed_values"])
        return f".check($ in list({values}))"
    if "length" in constraint:
        return _bounds_check("len($)", constraint["length"])
    if "range" in constraint:
        return _bounds_check("$", constraint["range"])
    if "allowed_pattern" in constraint:
        return f".check(matches($, '{constraint['allowed_pattern']}'))"
    return None


def _parameter_contract(name: str, spec: dict[str, Any]) -> Q:
    kind = spec.get("type")
    if kind not in _CONTRACT_BY_TYPE:
        raise PackageError(f"parameter {name} has the unsupported type {kind!r}", file=TEMPLATE,
                           hint="use string, number, boolean, json or comma_delimited_list")
    contract = f"$.{_CONTRACT_BY_TYPE[kind]}()"
    for constraint in spec.get("constraints") or []:
        contract += _constraint_check(constraint) or ""
    return Q(contract)


def _properties(hot: dict[str, Any], validate: bool) -> dict[str, Any]:
    parameters = hot.get("parameters") or {}
    contract = {k: _parameter_contract(k, v) for k, v in parameters.items()} if validate else {}
    return {
        "generatedHeatStackName": {"Contract": Q("$.string()"), "Usage": "Out"},
        "hotEnvironment": {"Contract": Q("$.string()"), "Usage": "In"},
        "name": {"Contract": Q("$.string().notNull()"), "Usage": "In"},
        "templateParameters": {"Contract": contract, "Default": {}, "Usage": "In"},
        "templateOutputs": {"Contract": {k: Q("$.string()") for k in hot.get("outputs") or {}},
                            "Default": {}, "Usage": "Out"},
    }


def _methods(hot_files: list[str]) -> dict[str, Any]:
    stack = Q("new('io.murano.system.HeatStack', $environment, "
              "name => $.getAttr(generatedHeatStackName))")
    find_env = {Q("$environment"): Q("$.find('io.murano.Environment').require()")}
    deploy = [
        find_env,
        {Q("$reporter"): Q("new('io.murano.system.StatusReporter', environment => $environment)")},
        {"If": Q("$.getAttr(generatedHeatStackName) = null"),
         "Then": [Q("$.setAttr(generatedHeatStackName, "
                    "'{0}_{1}'.format(randomName(), id($environment)))")]},
        {Q("$stack"): stack},
        Q("$reporter.report($this, 'Application deployment has started')"),
        {Q("$resources"): Q("new('io.murano.system.Resources')")},
        {Q("$template"): Q("$resources.yaml(type($this))")},
        Q("$stack.setTemplate($template)"),
        {Q("$parameters"): Q("$.templateParameters")},
        Q("$stack.setParameters($parameters)"),
        {Q("$files"): {f: Q(f"$resources.string('HotFiles/{f}')") for f in hot_files}},
        Q("$stack.setFiles($files)"),
        {Q("$hotEnv"): Q("$.hotEnvironment")},
        {"If": Q("bool($hotEnv)"),
         "Then": [{Q("$envRelPath"): Q("'HotEnvironments/' + $hotEnv")},
                  {Q("$hotEnvContent"): Q("$resources.string($envRelPath)")},
                  Q("$stack.setHotEnvironment($hotEnvContent)")]},
        Q("$reporter.report($this, 'Stack creation has started')"),
        {"Try": [Q("$stack.push()")],
         "Catch": [{"As": "e", "Do": [Q("$reporter.report_error($this, $e.message)"),
                                      {"Rethrow": None}]}],
         "Else": [{Q("$.templateOutputs"): Q("$stack.output()")},
                  Q("$reporter.report($this, 'Stack was successfully created')"),
                  Q("$reporter.report($this, 'Application deployment has finished')")]},
    ]
    destroy = [find_env, {Q("$stack"): stack}, Q("$stack.delete()")]
    return {"deploy": {"Body": deploy}, "destroy": {"Body": destroy}}


def generate_class(full_name: str, hot: dict[str, Any], files: dict[str, bytes]) -> str:
    """The MuranoPL class text for a Heat template (see module docstring)."""
    has_environments = any(p.startswith(HOT_ENVIRONMENTS) for p in files)
    hot_files = sorted(p[len(HOT_FILES):] for p in files if p.startswith(HOT_FILES))
    document = {"Name": full_name, "Extends": "io.murano.Application",
                "Properties": _properties(hot, validate=not has_environments),
                "Methods": _methods(hot_files)}
    return dump_yaml(document, quote_strings=True)


def _ui_validators(constraint: dict[str, Any]) -> dict[str, Any] | None:
    validator: dict[str, Any]
    if "range" in constraint:
        spec = constraint["range"]
        checks = [f"$ >= {spec['min']}"] if "min" in spec else []
        if "max" in spec:
            checks.append(f"$ <= {spec['max']}")
        validator = {"expr": Q(" and ".join(checks))}
    elif "allowed_values" in constraint:
        values = ", ".join(_literal(v) for v in constraint["allowed_values"])
        validator = {"expr": Q(f"$ in list({values})")}
    elif "allowed_pattern" in constraint:
        validator = {"expr": {"regexpValidator": constraint["allowed_pattern"]}}
    else:
        return None
    if "description" in constraint:
        validator["message"] = constraint["description"]
    return validator


def _ui_field(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "label": spec.get("label") or
                             name.title().replace("_", " "),
                             "type": _FIELD_BY_TYPE.get(str(spec.get("type")), "string")}
    if "description" in spec:
        field["description"] = spec["description"]
    if "default" in spec:
        field["initial"] = spec["default"]
    field["required"] = "default" not in spec
    validators = []
    for constraint in spec.get("constraints") or []:
        if "length" in constraint:
            length = constraint["length"]
            if "min" in length:
                field["minLength"] = max(field.get("minLength", int(length["min"])),
                                         int(length["min"]))
            if "max" in length:
                field["maxLength"] = min(field.get("maxLength", int(length["max"])),
                                         int(length["max"]))
        else:
            validator = _ui_validators(constraint)
            if validator is not None:
                validators.append(validator)
    if validators:
        field["validators"] = validators
    return field


def generate_ui(manifest: Manifest, hot: dict[str, Any]) -> str:
    """The UI definition (Version 2) for a Heat template."""
    parameters: dict[str, Any] = hot.get("parameters") or {}
    groups: list[tuple[list[dict[str, Any]], list[str]]] = [([
        {"name": "title", "type": "string", "required": False, "hidden": True,
         "description": manifest.description},
        {"name": "name", "type": "string", "label": "Application Name", "required": True,
         "description": "Enter a desired name for the application. "
                        "Just A-Z, a-z, 0-9, and dash are allowed"},
    ], ["name"])]
    used: set[str] = set()
    for group in hot.get("parameter_groups") or []:
        names = [p for p in group.get("parameters") or [] if parameters.get(p)]
        used.update(names)
        groups.append(([_ui_field(p, parameters[p]) for p in names], names))
    rest = [p for p in parameters if p not in used]
    if rest:
        groups.append(([_ui_field(p, parameters[p]) for p in rest], rest))
    application: dict[str, Any] = {"?": {"type": manifest.full_name,
                                         "package": manifest.full_name,
                                         "classVersion": manifest.version}}
    for index, (_fields, names) in enumerate(groups):
        section = application if index == 0 else application.setdefault("templateParameters",
                                                                          {})
        for name in names:
            section[name] = Q(f"$.group{index}.{name}")
    application["name"] = Q("$.group0.name")
    forms = [{f"group{i}": {"fields": fields}} for i, (fields, _names) in enumerate(groups)]
    return dump_yaml({"Version": 2, "Application": application, "Forms": forms},
                     quote_strings=True)


def read_template(files: dict[str, bytes]) -> dict[str, Any]:
    if TEMPLATE not in files:
        raise PackageError("Heat template is missing", file=TEMPLATE,
                           hint="put the HOT template at the package root as template.yaml")
    try:
        hot = load_yaml(files[TEMPLATE])
    except PackageYamlError as exc:
        raise PackageError(str(exc), file=TEMPLATE, hint="fix the YAML syntax") from exc
    if not isinstance(hot, dict) or "resources" not in hot:
        raise PackageError("Not a HOT template: no resources section", file=TEMPLATE,
                           hint="a Heat template needs heat_template_version and resources")
    hint = "see the HOT specification (heat_template_version 2013-05-23 or later)"
    for key in ("parameters", "outputs"):
        if not isinstance(hot.get(key) or {}, dict):
            raise PackageError(f"{key} must be a mapping", file=TEMPLATE, hint=hint)
    for name, spec in (hot.get("parameters") or {}).items():
        if not isinstance(spec, dict):
            raise PackageError(f"parameter {name} must be a mapping", file=TEMPLATE, hint=hint)
        if not isinstance(spec.get("constraints") or [], list):
            raise PackageError(f"parameter {name}: constraints must be a list", file=TEMPLATE,
                               hint=hint)
    if not isinstance(hot.get("parameter_groups") or [], list):
        raise PackageError("parameter_groups must be a list", file=TEMPLATE, hint=hint)
    return hot


class HotFormat:
    name = "Heat.HOT"

    def read(self, manifest: Manifest, files: dict[str, bytes]) -> FormatContent:
        hot = read_template(files)
        name = manifest.full_name
        try:
            class_text = generate_class(name, hot, files)
            ui = generate_ui(manifest, hot)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PackageError(f"cannot translate the template: {exc!r}", file=TEMPLATE,
                               hint="check parameter constraints (min/max must be numbers)"
                               ) from exc
        document = load_yaml(class_text)
        return FormatContent(
            classes={name: TEMPLATE},
            definitions={name: ClassDefinition(name=name, file=TEMPLATE, document=document,
                                               text=class_text)},
            requirements={}, ui_definition=ui,
            generated={f"Resources/{name}": files[TEMPLATE]})
