"""Reflection (``typeinfo()``) and meta-data instances.

Reflection objects are values MuranoPL code can hold; like objects, only an
explicit allowlist of members is reachable (``ATTRIBUTES`` and ``METHODS`` of
each class), through the runtime's member access.

Meta-data (``Meta:`` on packages, classes, properties, methods and arguments)
becomes objects of ``Usage: Meta`` classes on first use. Along a class
hierarchy the target's own meta is always included; from ancestors only
``Inherited: true`` meta-classes, and a ``Cardinality: One`` meta-class found
on a more-derived class hides the ancestors' instances of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fornace.dsl import expressions as ex
from fornace.dsl.errors import DslSyntaxError, NoMatchingMethodException, NoPropertyFound
from fornace.dsl.loader import YaqlExpr
from fornace.dsl.types import MuranoArgument, MuranoClass, MuranoMethod, MuranoProperty, Package


class Reflected:
    ATTRIBUTES: dict[str, Callable[[Any, Any], Any]] = {}
    METHODS: dict[str, Callable[..., Any]] = {}

    def read(self, name: str, executor: Any) -> Any:
        getter = self.ATTRIBUTES.get(name)
        if getter is None:
            raise NoPropertyFound(name, type(self).__name__)
        return getter(self, executor)

    def call(self, name: str, args: list[Any], kwargs: dict[str, Any], executor: Any) -> Any:
        method = self.METHODS.get(name)
        if method is None:
            return ex.NOT_HANDLED
        return method(self, executor, *args, **kwargs)


class VersionInfo(Reflected):
    def __init__(self, version: Any):
        self.version = version

    def __str__(self) -> str:
        return str(self.version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VersionInfo) and other.version == self.version

    def __hash__(self) -> int:
        return hash(str(self.version))

    ATTRIBUTES = {
        "major": lambda s, e: s.version.major,
        "minor": lambda s, e: s.version.minor,
        "patch": lambda s, e: s.version.patch,
        "prerelease": lambda s, e: ".".join(s.version.prerelease) or None,
        "build": lambda s, e: ".".join(s.version.build) or None,
    }


class PackageInfo(Reflected):
    def __init__(self, package: Package):
        self.package = package

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PackageInfo) and other.package is self.package

    def __hash__(self) -> int:
        return id(self.package)

    ATTRIBUTES = {
        "name": lambda s, e: s.package.name,
        "version": lambda s, e: VersionInfo(s.package.version),
        "types": lambda s, e: tuple(TypeInfo(s.package.find_class(n))
                                    for n in s.package.own_class_names()),
        "meta": lambda s, e: package_meta(e, s.package),
    }


class TypeInfo(Reflected):
    def __init__(self, cls: MuranoClass):
        self.cls = cls

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypeInfo) and other.cls is self.cls

    def __hash__(self) -> int:
        return id(self.cls)

    def __str__(self) -> str:
        return self.cls.name

    ATTRIBUTES = {
        "name": lambda s, e: s.cls.name,
        "usage": lambda s, e: s.cls.usage,
        "version": lambda s, e: VersionInfo(s.cls.version),
        "type": lambda s, e: e.type_ref(s.cls),
        "package": lambda s, e: PackageInfo(s.cls.package),
        "ancestors": lambda s, e: tuple(TypeInfo(c) for c in s.cls.ancestors()[1:]),
        "properties": lambda s, e: tuple(PropertyInfo(p) for p in s.cls.all_properties().values()),
        "methods": lambda s, e: tuple(
            MethodInfo(m) for n, m in s.cls.all_methods().items()
            if not n.startswith("__") and not n.startswith(".")),
        "meta": lambda s, e: class_meta(e, s.cls),
        "cardinality": lambda s, e: s.cls.cardinality,
        "targets": lambda s, e: tuple(s.cls.applies),
        "inherited": lambda s, e: s.cls.inherited,
    }


class PropertyInfo(Reflected):
    def __init__(self, prop: MuranoProperty):
        self.prop = prop

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PropertyInfo) and other.prop is self.prop

    def __hash__(self) -> int:
        return id(self.prop)

    def get_value(self, executor: Any, obj: Any = None) -> Any:
        from fornace.dsl.runtime import real_object
        if self.prop.usage == "Static":
            return executor.get_static(self.prop)
        return executor.read_property(real_object(obj), self.prop.name, self.prop.declaring_type)

    def set_value(self, executor: Any, obj: Any, value: Any) -> None:
        from fornace.dsl.runtime import real_object
        if self.prop.usage == "Static":
            executor.set_static(self.prop, value, None)
            return
        executor.write_property(real_object(obj), self.prop.name, value, None)

    ATTRIBUTES = {
        "name": lambda s, e: s.prop.name,
        "hasDefault": lambda s, e: s.prop.has_default,
        "usage": lambda s, e: str(s.prop.usage),
        "declaringType": lambda s, e: TypeInfo(s.prop.declaring_type),
        "meta": lambda s, e: property_meta(e, s.prop),
    }
    METHODS = {"getValue": get_value, "setValue": set_value}


class MethodInfo(Reflected):
    def __init__(self, method: MuranoMethod):
        self.method = method

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MethodInfo) and other.method is self.method

    def __hash__(self) -> int:
        return id(self.method)

    def invoke(self, executor: Any, obj: Any = None, *args: Any, **kwargs: Any) -> Any:
        method = self.method
        if method.is_static:
            receiver = executor.type_ref(method.declaring_type)
        elif obj is None:
            raise NoMatchingMethodException(method.name, ": an instance method needs an object")
        else:
            from fornace.dsl.runtime import real_object
            receiver = real_object(obj)
        return executor.invoke(method, receiver, list(args), kwargs)

    ATTRIBUTES = {
        "name": lambda s, e: s.method.name,
        "arguments": lambda s, e: tuple(ArgumentInfo(a, s.method) for a in s.method.arguments),
        "declaringType": lambda s, e: TypeInfo(s.method.declaring_type),
        "usage": lambda s, e: str(s.method.usage),
        "scope": lambda s, e: str(s.method.scope),
        "meta": lambda s, e: method_meta(e, s.method),
    }
    METHODS = {"invoke": invoke}


class ArgumentInfo(Reflected):
    def __init__(self, argument: MuranoArgument, method: MuranoMethod):
        self.argument = argument
        self.method = method

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArgumentInfo) and other.argument is self.argument

    def __hash__(self) -> int:
        return id(self.argument)

    ATTRIBUTES = {
        "name": lambda s, e: s.argument.name,
        "hasDefault": lambda s, e: s.argument.has_default,
        "usage": lambda s, e: str(s.argument.usage),
        "declaringMethod": lambda s, e: MethodInfo(s.method),
        "meta": lambda s, e: instantiate_meta(e, s.argument.meta, s.method.declaring_type,
                                              "Argument", ("arg", id(s.argument))),
    }


REFLECTION_TYPES = (VersionInfo, PackageInfo, TypeInfo, PropertyInfo, MethodInfo, ArgumentInfo)


# ------------------------------------------------------------------ meta-data

def _items(meta: Any) -> list[tuple[Any, Mapping[str, Any]]]:
    if meta is None:
        return []
    if isinstance(meta, Mapping):
        meta = [meta]
    result = []
    for item in meta if isinstance(meta, list) else [meta]:
        if isinstance(item, Mapping):
            for name, props in item.items():
                result.append((name, props or {}))
        else:
            result.append((item, {}))
    return result


def instantiate_meta(executor: Any, meta: Any, scope: MuranoClass, target: str,
                     cache_key: Any) -> tuple[Any, ...]:
    """Objects for one ``Meta:`` list, declared in ``scope``'s code."""
    cache = executor.meta_cache
    if cache_key in cache:
        return cache[cache_key]  # type: ignore[no-any-return]
    objects = []
    seen_one: set[MuranoClass] = set()
    for name, props in _items(meta):
        text = name.source if isinstance(name, YaqlExpr) else str(name)
        cls = executor.resolve_class(text, scope)
        if cls.usage != "Meta":
            raise DslSyntaxError(f"{cls.name} is not a meta-class (Usage: Meta)")
        if "All" not in cls.applies and target not in cls.applies:
            raise DslSyntaxError(f"Meta-class {cls.name} cannot be applied to {target}")
        if cls.cardinality == "One":
            if cls in seen_one:
                raise DslSyntaxError(f"Meta-class {cls.name} (Cardinality: One) given twice")
            seen_one.add(cls)
        context = scope.context.create_child_context()
        values = {k: executor.evaluate_default(v, context) for k, v in props.items()}
        obj = executor.new(cls, values, scope=scope)
        executor.pinned.append(obj)
        objects.append(obj)
    result = tuple(objects)
    cache[cache_key] = result
    return result


def _merge(own: tuple[Any, ...], inherited: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    result = list(own)
    hidden = {o.type for o in own if o.type.cardinality == "One"}
    for group in inherited:
        for obj in group:
            cls = obj.type
            if not cls.inherited:
                continue
            if cls.cardinality == "One":
                if cls in hidden:
                    continue
                hidden.add(cls)
            result.append(obj)
    return tuple(result)


def class_meta(executor: Any, cls: MuranoClass) -> tuple[Any, ...]:
    own = instantiate_meta(executor, cls.meta, cls, "Type", ("type", id(cls)))
    return _merge(own, [class_meta(executor, parent) for parent in cls.parents])


def method_meta(executor: Any, method: MuranoMethod) -> tuple[Any, ...]:
    cls = method.declaring_type
    own = instantiate_meta(executor, method.meta, cls, "Method", ("method", id(method)))
    inherited = []
    for parent in cls.parents:
        found = parent.find_method(method.name)
        if found is not None:
            inherited.append(method_meta(executor, found))
    return _merge(own, inherited)


def property_meta(executor: Any, prop: MuranoProperty) -> tuple[Any, ...]:
    cls = prop.declaring_type
    own = instantiate_meta(executor, prop.meta, cls, "Property", ("property", id(prop)))
    inherited = []
    for parent in cls.parents:
        found = parent.find_property(prop.name)
        if found is not None:
            inherited.append(property_meta(executor, found))
    return _merge(own, inherited)


def package_meta(executor: Any, package: Package) -> tuple[Any, ...]:
    if not package.meta:
        return ()
    scope = next(iter(package.classes.values()), None)
    if scope is None:
        return ()
    return instantiate_meta(executor, package.meta, scope, "Package", ("package", id(package)))
