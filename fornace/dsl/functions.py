"""The yaql functions MuranoPL adds to the root context (explicit list).

Functions find their session through context data that yaql expressions
cannot name (``?executor``, ``?frame``, ``?type``): a ``$name`` in package
code can only reach variables.
"""

from __future__ import annotations

import base64
import itertools
import random
import string
import time
from collections.abc import Mapping
from typing import Any

import jsonpatch
from yaql.language import specs, utils, yaqltypes

from fornace.dsl import expressions as ex
from fornace.dsl import sandbox
from fornace.dsl.errors import NoClassFound, NoMatchingMethodException
from fornace.dsl.runtime import CastView, MuranoObject, TypeRef, real_object

OBJECT_TYPES = (MuranoObject, CastView)
TYPE_OR_NAME = yaqltypes.PythonType((TypeRef, str))
OBJECT = yaqltypes.PythonType(OBJECT_TYPES)
OPT_OBJECT = yaqltypes.PythonType(OBJECT_TYPES, nullable=True)


def _executor(context: Any) -> Any:
    return context.get_data("?executor")


def _scope(context: Any) -> Any:
    frame = context.get_data("?frame")
    return frame.type if frame is not None else context.get_data("?type")


def _class(context: Any, value: Any) -> Any:
    return _executor(context).class_of_ref(value, _scope(context))


# ------------------------------------------------------------------ objects

@specs.parameter("type_", TYPE_OR_NAME)
@specs.parameter("owner", OPT_OBJECT)
@specs.parameter("object_name", yaqltypes.String(nullable=True))
@specs.parameter("extra", utils.MappingType, nullable=True)
@specs.name("new")
def new_with_keywords(context: Any, type_: Any, owner: Any = None, object_name: Any = None,
                      extra: Any = None, **kwargs: Any) -> Any:
    executor = _executor(context)
    designer = {k: v for k, v in (extra or {}).items() if str(k).startswith("_")}
    return executor.new(type_, kwargs, owner=owner, name=object_name, scope=_scope(context),
                        designer=designer)


@specs.parameter("type_", TYPE_OR_NAME)
@specs.parameter("properties", utils.MappingType)
@specs.parameter("owner", OPT_OBJECT)
@specs.parameter("object_name", yaqltypes.String(nullable=True))
@specs.parameter("extra", utils.MappingType, nullable=True)
@specs.name("new")
def new_with_dict(context: Any, type_: Any, properties: Any, owner: Any = None,
                  object_name: Any = None, extra: Any = None) -> Any:
    executor = _executor(context)
    designer = {k: v for k, v in (extra or {}).items() if str(k).startswith("_")}
    return executor.new(type_, properties, owner=owner, name=object_name, scope=_scope(context),
                        designer=designer)


@specs.parameter("model", utils.MappingType)
@specs.parameter("owner", OPT_OBJECT)
@specs.name("new")
def new_from_model(context: Any, model: Any, owner: Any = None) -> Any:
    executor = _executor(context)
    return executor.load_definition(model, owner=owner, scope=_scope(context))


@specs.parameter("value", nullable=True)
@specs.name("type")
def type_of(context: Any, value: Any) -> Any:
    if value is None:
        return None
    executor = _executor(context)
    if isinstance(value, TypeRef):
        return value
    if isinstance(value, str):
        return executor.type_ref(executor.class_of_ref(value, _scope(context)))
    if isinstance(value, OBJECT_TYPES):
        scope = _scope(context)
        runtime = scope.package.runtime if scope is not None else (1, 0)
        cls = real_object(value).type
        if runtime < (1, 4):
            return cls.name
        return executor.type_ref(cls)
    raise NoMatchingMethodException("type", f": not an object: {value!r}")


@specs.parameter("obj", OPT_OBJECT)
@specs.name("id")
def id_of(obj: Any) -> Any:
    return None if obj is None else real_object(obj).id


@specs.parameter("obj", OPT_OBJECT)
@specs.name("name")
def name_of(obj: Any) -> Any:
    return None if obj is None else real_object(obj).name


@specs.parameter("obj", OPT_OBJECT)
@specs.name("metadata")
def metadata_of(obj: Any) -> Any:
    return None if obj is None else ex.freeze(real_object(obj).metadata)


@specs.parameter("obj", OBJECT)
@specs.parameter("type_", TYPE_OR_NAME)
@specs.parameter("version_spec", nullable=True)
@specs.name("cast")
def cast(context: Any, obj: Any, type_: Any, version_spec: Any = None) -> Any:
    cls = _class(context, type_)
    target = real_object(obj)
    if not target.type.is_compatible(cls):
        raise NoClassFound(cls.name)
    return CastView(target, cls)


def _super_views(context: Any, obj: Any) -> list[Any]:
    scope = _scope(context)
    target = real_object(obj)
    return [CastView(target, parent) for parent in scope.parents]


@specs.parameter("obj", OBJECT)
@specs.parameter("func", yaqltypes.Lambda(), nullable=True)
@specs.name("super")
def super_(context: Any, obj: Any, func: Any = None) -> Any:
    views = _super_views(context, obj)
    if func is None:
        return tuple(views)
    return tuple(ex.freeze(func(v)) for v in views)


@specs.parameter("obj", OBJECT)
@specs.parameter("func", yaqltypes.Lambda(), nullable=True)
@specs.name("psuper")
def psuper(context: Any, obj: Any, func: Any = None) -> Any:
    views = _super_views(context, obj)
    if func is None:
        return tuple(views)
    executor = _executor(context)
    return tuple(executor.run_parallel([lambda v=v: ex.freeze(func(v)) for v in views],
                                       len(views)))


@specs.parameter("obj", OPT_OBJECT)
@specs.parameter("type_", TYPE_OR_NAME)
@specs.name("find")
@specs.method
def find(context: Any, obj: Any, type_: Any) -> Any:
    if obj is None:
        return None
    cls = _class(context, type_)
    owner = real_object(obj).owner
    while owner is not None:
        if owner.type.is_compatible(cls):
            return owner
        owner = owner.owner
    return None


@specs.parameter("obj", nullable=True)
@specs.name("require")
@specs.method
def require(obj: Any) -> Any:
    if obj is None:
        raise ValueError("Required value is missing")
    return obj


@specs.parameter("obj", nullable=True)
@specs.parameter("type_", TYPE_OR_NAME)
@specs.name("#operator_is")
def is_instance(context: Any, obj: Any, type_: Any) -> bool:
    if not isinstance(obj, OBJECT_TYPES):
        return False
    try:
        cls = _class(context, type_)
    except NoClassFound:
        return False
    return bool(real_object(obj).type.is_compatible(cls))


@specs.parameter("value", nullable=True)
@specs.name("isObject")
def is_object(value: Any) -> bool:
    return isinstance(value, (*OBJECT_TYPES, TypeRef))


@specs.parameter("seconds", yaqltypes.Number(nullable=True))
@specs.name("sleep")
def sleep(context: Any, seconds: Any = 0) -> None:
    executor = _executor(context)
    seconds = float(seconds or 0)
    if executor.scheduler is not None:
        executor.scheduler.sleep(seconds)
        return
    remaining = executor.deadline - time.monotonic()
    if seconds > remaining:
        time.sleep(max(remaining, 0))
        executor.check_deadline()
    time.sleep(seconds)


@specs.parameter("name", yaqltypes.String())
@specs.parameter("args", yaqltypes.Sequence(nullable=True))
@specs.parameter("kwargs", utils.MappingType, nullable=True)
@specs.parameter("receiver", yaqltypes.PythonType((*OBJECT_TYPES, TypeRef)))
@specs.name("call")
def call_method(context: Any, name: str, args: Any, kwargs: Any, receiver: Any) -> Any:
    access = _executor(context).member_access
    result = access.call(receiver, name, list(args or ()), dict(kwargs or {}), context)
    if result is ex.NOT_HANDLED:
        raise NoMatchingMethodException(name)
    return result


@specs.parameter("obj", OBJECT)
@specs.parameter("serialization_type", yaqltypes.String())
@specs.parameter("ignore_upcasts", bool)
@specs.name("dump")
def dump(context: Any, obj: Any, serialization_type: str = "Serializable",
         ignore_upcasts: bool = True) -> Any:
    from fornace.dsl.serializer import dump_object
    view_type = obj.view_type if isinstance(obj, CastView) and not ignore_upcasts else None
    return ex.freeze(dump_object(_executor(context), real_object(obj), serialization_type,
                                 view_type=view_type))


# ------------------------------------------------------------------ engine functions

@specs.parameter("value", yaqltypes.String())
@specs.name("base64encode")
def base64encode(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


@specs.parameter("value", yaqltypes.String())
@specs.name("base64decode")
def base64decode(value: str) -> str:
    return base64.b64decode(value).decode("utf-8")


_random_counter = itertools.count()


@specs.name("randomName")
def random_name() -> str:
    def base36(n: int) -> str:
        digits = string.digits + string.ascii_lowercase
        out = ""
        while True:
            n, r = divmod(n, 36)
            out = digits[r] + out
            if not n:
                return out
    prefix = "".join(random.choice(string.ascii_lowercase) for _ in range(5))
    return prefix + base36(int(time.time() * 1000))[-8:] + base36(next(_random_counter) % 1296)


def _bind(data: Any, mappings: Mapping[str, Any]) -> Any:
    if isinstance(data, str):
        if data.startswith("$"):
            rest = data[1:]
            if "{" in rest and "}" in rest:
                return sandbox.safe_format(rest, (), {k: v for k, v in mappings.items()},
                                           missing="None")
            if rest not in mappings:
                raise KeyError(rest)
            value = mappings[rest]
            return data if value is None else value
        return data
    if isinstance(data, Mapping):
        return {_bind(k, mappings): _bind(v, mappings) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_bind(v, mappings) for v in data]
    return data


@specs.parameter("data", nullable=True)
@specs.parameter("mappings", utils.MappingType)
@specs.name("bind")
@specs.method
def bind(data: Any, mappings: Any) -> Any:
    return ex.freeze(_bind(data, mappings))


@specs.parameter("obj", nullable=True)
@specs.parameter("patch", nullable=True)
@specs.name("patch")
@specs.method
def patch(obj: Any, patch: Any) -> Any:
    operations = ex.thaw(patch)
    if isinstance(operations, dict):
        operations = [operations]
    try:
        return ex.freeze(jsonpatch.JsonPatch(operations).apply(ex.thaw(obj)))
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException):
        return obj


@specs.parameter("collection", yaqltypes.Iterable())
@specs.parameter("func", yaqltypes.Lambda())
@specs.name("pselect")
@specs.method
def pselect(context: Any, collection: Any, func: Any) -> Any:
    executor = _executor(context)
    items = list(collection)
    return tuple(executor.run_parallel([lambda i=i: ex.freeze(func(i)) for i in items],
                                       max(len(items), 1)))


@specs.parameter("template", yaqltypes.String())
@specs.name("format")
@specs.extension_method
def format_(template: str, *args: Any, **kwargs: Any) -> str:
    return sandbox.safe_format(template, args, kwargs)


@specs.parameter("value", yaqltypes.String())
@specs.parameter("start", int)
@specs.parameter("length", int)
@specs.name("substr")
@specs.method
def substr(value: str, start: int, length: int = -1) -> str:
    if length < 0:
        return value[start:]
    return value[start:start + length]


@specs.parameter("collection", yaqltypes.Iterable())
@specs.parameter("default", nullable=True)
@specs.name("firstOrDefault")
@specs.method
def first_or_default(collection: Any, default: Any = None) -> Any:
    return next(iter(collection), default)


@specs.parameter("name", yaqltypes.String())
@specs.name("logger")
def logger(context: Any, name: str) -> Any:
    executor = _executor(context)
    return executor.new("io.murano.system.Logger", {"loggerName": name})


# legacy (runtime <= 1.1) method forms

@specs.parameter("obj", OBJECT)
@specs.name("id")
@specs.method
def id_method(obj: Any) -> Any:
    return real_object(obj).id


@specs.parameter("obj", OBJECT)
@specs.name("type")
@specs.method
def type_method(obj: Any) -> Any:
    return real_object(obj).type.name


@specs.parameter("obj", OBJECT)
@specs.parameter("type_", TYPE_OR_NAME)
@specs.name("cast")
@specs.method
def cast_method(context: Any, obj: Any, type_: Any) -> Any:
    return cast(context, obj, type_)


@specs.parameter("obj", OBJECT)
@specs.parameter("func", yaqltypes.Lambda(), nullable=True)
@specs.name("super")
@specs.method
def super_method(context: Any, obj: Any, func: Any = None) -> Any:
    return super_(context, obj, func)


@specs.parameter("obj", OBJECT)
@specs.parameter("func", yaqltypes.Lambda(), nullable=True)
@specs.name("psuper")
@specs.method
def psuper_method(context: Any, obj: Any, func: Any = None) -> Any:
    return psuper(context, obj, func)


COMMON_FUNCTIONS = [
    new_with_keywords, new_with_dict, new_from_model, type_of, id_of, name_of, metadata_of,
    cast, super_, psuper, find, require, is_instance, is_object, sleep, call_method, dump,
    base64encode, base64decode, random_name, bind, patch, pselect, format_, logger,
]
LEGACY_FUNCTIONS = [substr, first_or_default, id_method, type_method, cast_method,
                    super_method, psuper_method]


def register(context: Any, legacy: bool) -> None:
    for fn in COMMON_FUNCTIONS:
        context.register_function(fn)
    if legacy:
        for fn in LEGACY_FUNCTIONS:
            context.register_function(fn)
    sandbox.register_limited_functions(context)


@specs.parameter("group", yaqltypes.String())
@specs.parameter("setting", yaqltypes.String(nullable=True))
@specs.name("config")
def config(context: Any, group: str, setting: str | None = None) -> Any:
    settings = _executor(context).config
    if setting is None:
        return ex.freeze(settings.get(group))
    return ex.freeze((settings.get(group) or {}).get(setting))


def register_core_package(context: Any) -> None:
    """Functions only classes of package io.murano see."""
    context.register_function(config)
