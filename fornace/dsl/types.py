"""The type system: packages, classes, properties, methods and arguments.

A :class:`MuranoClass` is built from one class document; its method bodies
and contracts are compiled when the class is built, so syntax errors name
the file and line at load time. Symbol lookup (methods and properties)
follows Murano's rule over multiple inheritance: the candidates are the
first definitions on every path to the root; a candidate that another
candidate overrides is dropped; exactly one must remain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

import semantic_version

from fornace.dsl import compiler
from fornace.dsl.contracts import AnyContract, Contract, compile_contract
from fornace.dsl.errors import (
    AmbiguousMethodName,
    AmbiguousPropertyNameError,
    DslSyntaxError,
    InvalidInheritanceError,
    Location,
    NoClassFound,
)
from fornace.dsl.loader import YaqlExpr, location_of
from fornace.dsl.namespaces import NamespaceResolver
from fornace.dsl.packages import ClassDocument, PackageDefinition
from fornace.dsl.versions import parse_spec, same_major
from fornace.dsl.yaql_context import is_legacy

NO_DEFAULT = object()


class PropertyUsage(StrEnum):
    In = "In"
    Out = "Out"
    InOut = "InOut"
    Const = "Const"
    Runtime = "Runtime"
    Static = "Static"
    Config = "Config"


WRITABLE_USAGES = frozenset({PropertyUsage.Out, PropertyUsage.InOut, PropertyUsage.Runtime,
                             PropertyUsage.Static, PropertyUsage.Config})
SERIALIZABLE_USAGES = frozenset({PropertyUsage.In, PropertyUsage.Out, PropertyUsage.InOut,
                                 PropertyUsage.Const})


class MethodUsage(StrEnum):
    Runtime = "Runtime"
    Action = "Action"
    Static = "Static"
    Extension = "Extension"


class MethodScope(StrEnum):
    Session = "Session"
    Public = "Public"


class ArgumentUsage(StrEnum):
    Standard = "Standard"
    VarArgs = "VarArgs"
    KwArgs = "KwArgs"


class Package:
    """A package as the interpreter uses it: its classes, runtime and requirements."""

    def __init__(self, definition: PackageDefinition, executor: Any):
        self.definition = definition
        self.executor = executor
        self.name = definition.name
        self.version: semantic_version.Version = definition.version
        self.runtime = definition.runtime
        self.legacy = is_legacy(self.runtime)
        self.engine = executor.engine_for(self.runtime)
        self.parse = executor.parser_for(self.runtime)
        self.requirements: dict[str, semantic_version.SimpleSpec] = {}
        for name, spec in definition.requirements.items():
            self.requirements[name] = parse_spec(spec)
        self.requirements.setdefault(self.name, same_major(self.version))
        if self.name != "io.murano":
            self.requirements.setdefault("io.murano", parse_spec("0"))
        self.classes: dict[str, MuranoClass] = {}
        self.meta = definition.meta

    def __repr__(self) -> str:
        return f"{self.name}/{self.version}"

    def own_class_names(self) -> list[str]:
        names = set(self.definition.class_names(self.parse))
        names.update(self.executor.system_classes_of(self.name))
        return sorted(names)

    def find_class(self, name: str, search_requirements: bool = True) -> MuranoClass:
        cls = self.classes.get(name)
        if cls is not None:
            return cls
        docs = self.definition.documents(self.parse)
        doc = docs.get(name)
        if doc is not None or name in self.executor.system_classes_of(self.name):
            return self.executor.build_class(self, name, doc)
        searched = [f"{self.name}/{self.version}"]
        if search_requirements:
            for req_name, spec in self.requirements.items():
                if req_name == self.name:
                    continue
                package = self.executor.load_package(req_name, spec, missing_ok=True)
                if package is None:
                    continue
                searched.append(f"{package.name}/{package.version}")
                try:
                    return package.find_class(name, False)
                except NoClassFound:
                    continue
            if name.startswith("io.murano.extensions."):
                short = name[len("io.murano.extensions."):]
                self.executor.warn(
                    f"Plugin class name {name} is deprecated, use {short} instead")
                return self.find_class(short, search_requirements)
        raise NoClassFound(name, searched)


class MuranoProperty:
    __slots__ = ("name", "contract", "default", "usage", "meta", "declaring_type", "location",
                 "contract_data")

    def __init__(self, name: str, data: Mapping[str, Any], declaring_type: MuranoClass):
        self.name = name
        self.declaring_type = declaring_type
        self.location = location_of(data)
        if not isinstance(data, Mapping):
            raise DslSyntaxError(f"Property {name} of {declaring_type.name} must be a mapping")
        self.contract_data = data.get("Contract")
        self.contract: Contract = compile_contract(self.contract_data,
                                                   declaring_type.package.engine)
        self.default = data["Default"] if "Default" in data else NO_DEFAULT
        try:
            self.usage = PropertyUsage(data.get("Usage") or "In")
        except ValueError as exc:
            raise DslSyntaxError(
                f"{self.location}: unknown property usage {data.get('Usage')!r}") from exc
        self.meta = data.get("Meta")

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


class MuranoArgument:
    __slots__ = ("name", "contract", "default", "usage", "meta", "contract_data")

    def __init__(self, name: str, data: Any, engine: Any):
        self.name = name
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise DslSyntaxError(f"Argument {name} must be a mapping")
        self.contract_data = data.get("Contract")
        self.contract: Contract = compile_contract(self.contract_data, engine) \
            if "Contract" in data else AnyContract()
        self.default = data["Default"] if "Default" in data else NO_DEFAULT
        self.usage = ArgumentUsage(data.get("Usage") or "Standard")
        self.meta = data.get("Meta")

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


class MuranoMethod:
    def __init__(self, name: str, declaring_type: MuranoClass, *,
                 usage: MethodUsage = MethodUsage.Runtime,
                 scope: MethodScope = MethodScope.Session,
                 arguments: list[MuranoArgument] | None = None,
                 body: Callable[[Any], Any] | None = None,
                 python: Callable[..., Any] | None = None,
                 meta: Any = None, location: Location | None = None):
        self.name = name
        self.declaring_type = declaring_type
        self.usage = usage
        self.scope = scope
        self.arguments = arguments or []
        self.body = body
        self.python = python
        self.meta = meta
        self.location = location
        self.standard = [a for a in self.arguments if a.usage == ArgumentUsage.Standard]
        self.varargs = next((a for a in self.arguments if a.usage == ArgumentUsage.VarArgs), None)
        self.kwargs = next((a for a in self.arguments if a.usage == ArgumentUsage.KwArgs), None)
        self.by_name = {a.name: a for a in self.standard}
        self.is_static = usage in (MethodUsage.Static, MethodUsage.Extension)
        self.is_extension = usage == MethodUsage.Extension
        self.is_action = scope == MethodScope.Public or usage == MethodUsage.Action
        self.fast = not self.varargs and not self.kwargs and all(
            not a.has_default for a in self.standard)
        self.context_keys = tuple("$" + a.name for a in self.arguments)

    def __repr__(self) -> str:
        return f"{self.declaring_type.name}::{self.name}"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


class MuranoClass:
    def __init__(self, name: str, package: Package, doc: ClassDocument | None):
        self.name = name
        self.package = package
        self.version = package.version
        data: Mapping[str, Any] = doc.data if doc is not None else {}
        self.doc = doc
        self.file = doc.file if doc else "<python>"
        self.location = location_of(data)
        self.resolver = doc.namespaces if doc else NamespaceResolver()
        usage = data.get("Usage", "Class")
        if usage not in ("Class", "Meta"):
            raise DslSyntaxError(f"{self.file}: class usage must be Class or Meta, not {usage!r}")
        self.usage = usage
        self.meta = data.get("Meta")
        self.imports_data = _as_list(data.get("Import"))
        self.cardinality = data.get("Cardinality", "One")
        self.applies = _as_list(data.get("Applies")) or ["All"]
        self.inherited = bool(data.get("Inherited", False))
        self.parents: list[MuranoClass] = []
        self.properties: dict[str, MuranoProperty] = {}
        self.methods: dict[str, MuranoMethod] = {}
        self.extension_class: type | None = None
        self._data = data
        self._method_cache: dict[str, MuranoMethod | None] = {}
        self._property_cache: dict[str, MuranoProperty | None] = {}
        self._ancestors: list[MuranoClass] | None = None
        self._ancestor_set: frozenset[MuranoClass] | None = None
        self.context: Any = None
        self.type_ref: Any = None
        self._imports: list[MuranoClass] | None = None

    # -- building
    def build(self, executor: Any) -> None:
        data = self._data
        extends = data.get("Extends")
        parent_names = _as_list(extends)
        if not parent_names and self.name != "io.murano.Object":
            parent_names = ["io.murano.Object"]
        for parent_name in parent_names:
            if isinstance(parent_name, YaqlExpr):
                parent_name = parent_name.source  # ns:Name parsed as an expression
            parent = executor.resolve_class(str(parent_name), self)
            if self.usage == "Class" and parent.usage != "Class":
                raise InvalidInheritanceError(
                    f"Class {self.name} cannot extend meta-class {parent.name}")
            self.parents.append(parent)
        for prop_name, prop_data in (data.get("Properties") or {}).items():
            self.properties[str(prop_name)] = MuranoProperty(str(prop_name), prop_data, self)
        methods = data.get("Methods") or data.get("Workflow") or {}
        for method_name, method_data in methods.items():
            method = self._build_method(str(method_name), method_data or {}, executor)
            self.methods[method.name] = method

    def _build_method(self, name: str, data: Mapping[str, Any], executor: Any) -> MuranoMethod:
        if name == "initialize":
            name = ".init"
        elif name == "destroy":
            name = ".destroy"
        if not isinstance(data, Mapping):
            raise DslSyntaxError(f"{self.file}: method {name} of {self.name} must be a mapping")
        engine = self.package.engine
        arguments = []
        raw_args = data.get("Arguments") or []
        items: list[tuple[Any, Any]] = []
        if isinstance(raw_args, Mapping):
            items = list(raw_args.items())
        else:
            for entry in raw_args:
                if not isinstance(entry, Mapping) or len(entry) != 1:
                    raise DslSyntaxError(
                        f"{location_of(entry) or self.file}: each argument of {self.name}::{name}"
                        " must be a single-key mapping")
                items.extend(entry.items())
        seen_var = seen_kw = False
        for arg_name, arg_data in items:
            arg = MuranoArgument(str(arg_name), arg_data, engine)
            if arg.usage == ArgumentUsage.Standard and (seen_var or seen_kw) or \
                    arg.usage == ArgumentUsage.VarArgs and (seen_var or seen_kw) or \
                    arg.usage == ArgumentUsage.KwArgs and seen_kw:
                raise DslSyntaxError(
                    f"{self.file}: arguments of {self.name}::{name} must be Standard, then one "
                    "VarArgs, then one KwArgs")
            seen_var = seen_var or arg.usage == ArgumentUsage.VarArgs
            seen_kw = seen_kw or arg.usage == ArgumentUsage.KwArgs
            arguments.append(arg)
        usage = MethodUsage(data.get("Usage") or "Runtime")
        scope = MethodScope(data.get("Scope") or "Session")
        if usage == MethodUsage.Action:
            if data.get("Scope") == "Session":
                raise DslSyntaxError(f"{self.file}: {self.name}::{name}: Usage Action cannot "
                                     "be combined with Scope Session")
            scope = MethodScope.Public
        if executor.force_public_tests and name.startswith("test"):
            scope = MethodScope.Public
        env = compiler.CompileEnv(engine, self.resolver, self.name, name, self.file)
        body = compiler.compile_block(data.get("Body"), env) if data.get("Body") is not None \
            else None
        return MuranoMethod(name, self, usage=usage, scope=scope, arguments=arguments,
                            body=body, meta=data.get("Meta"), location=location_of(data))

    # -- hierarchy
    def ancestors(self) -> list[MuranoClass]:
        """This class and every ancestor, once, depth-first left to right."""
        if self._ancestors is None:
            seen: list[MuranoClass] = []

            def walk(cls: MuranoClass) -> None:
                if cls in seen:
                    return
                seen.append(cls)
                for parent in cls.parents:
                    walk(parent)
            walk(self)
            self._ancestors = seen
        return self._ancestors

    def is_compatible(self, other: MuranoClass) -> bool:
        """Is ``self`` ``other`` or derived from it?"""
        if self._ancestor_set is None:
            self._ancestor_set = frozenset(self.ancestors())
        return other in self._ancestor_set

    def _candidates(self, attr: str, name: str) -> list[Any]:
        found: list[MuranoClass] = []

        def walk(cls: MuranoClass) -> None:
            if name in getattr(cls, attr):
                if cls not in found:
                    found.append(cls)
                return
            for parent in cls.parents:
                walk(parent)
        walk(self)
        survivors = [c for c in found
                     if not any(o is not c and o.is_compatible(c) for o in found)]
        return survivors

    def find_method(self, name: str) -> MuranoMethod | None:
        try:
            return self._method_cache[name]
        except KeyError:
            pass
        survivors = self._candidates("methods", name)
        if len(survivors) > 1:
            raise AmbiguousMethodName(name)
        result = survivors[0].methods[name] if survivors else None
        self._method_cache[name] = result
        return result

    def find_property(self, name: str) -> MuranoProperty | None:
        try:
            return self._property_cache[name]
        except KeyError:
            pass
        survivors = self._candidates("properties", name)
        if len(survivors) > 1:
            raise AmbiguousPropertyNameError(name)
        result = survivors[0].properties[name] if survivors else None
        self._property_cache[name] = result
        return result

    def find_static_property(self, name: str) -> MuranoProperty | None:
        prop = self.find_property(name)
        if prop is not None and prop.usage == PropertyUsage.Static:
            return prop
        return None

    def all_methods(self) -> dict[str, MuranoMethod]:
        result: dict[str, MuranoMethod] = {}
        for cls in reversed(self.ancestors()):
            for name in cls.methods:
                method = self.find_method(name)
                if method is not None:
                    result[name] = method
        return result

    def all_properties(self) -> dict[str, MuranoProperty]:
        result: dict[str, MuranoProperty] = {}
        for cls in self.ancestors():
            for name in cls.properties:
                if name not in result:
                    prop = self.find_property(name)
                    if prop is not None:
                        result[name] = prop
        return result

    def imports(self, executor: Any) -> list[MuranoClass]:
        if self._imports is None:
            result = []
            for item in self.imports_data:
                name = item.source if isinstance(item, YaqlExpr) else str(item)
                result.append(executor.resolve_class(name, self))
            self._imports = result
        return self._imports

    def find_extension(self, name: str, executor: Any) -> list[MuranoMethod]:
        """Extension methods named ``name`` visible from this class's code."""
        found = []
        for cls in self.ancestors():
            method = cls.methods.get(name)
            if method is not None and method.is_extension:
                found.append(method)
        if found:
            return found
        for cls in self.imports(executor):
            method = cls.find_method(name)
            if method is not None and method.is_extension:
                found.append(method)
        return found

    def __repr__(self) -> str:
        return f"{self.name}/{self.version}@{self.package.name}"
