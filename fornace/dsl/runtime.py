"""Objects, type references, frames and the method call pipeline.

This module never imports the loader or the compiler: it runs what they built.
:class:`MemberAccessImpl` is the only place where a ``.`` applied to a
MuranoPL value becomes a property value or a method call (the sandbox
chokepoint): only declared MuranoPL properties and methods are reachable,
never Python attributes.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from fornace.dsl import expressions as ex
from fornace.dsl.compiler import BREAK, CONTINUE, RETURN, method_level_signal_error
from fornace.dsl.contracts import ContractCall
from fornace.dsl.errors import (
    LimitExceeded,
    MethodNotExposed,
    NoMatchingMethodException,
    NoMethodFound,
    NoPropertyFound,
    ObjectDestroyedError,
    StackFrame,
    add_frame,
)
from fornace.dsl.types import MuranoClass, MuranoMethod, PropertyUsage

NOT_HANDLED = ex.NOT_HANDLED
_MISSING = object()


class MuranoObject:
    """An instance of a MuranoPL class. Python attributes are not reachable from yaql."""

    __slots__ = ("type", "id", "owner", "name", "metadata", "values", "private", "destroyed",
                 "extension", "executor", "dependencies", "designer", "state", "parts",
                 "__weakref__")

    def __init__(self, cls: MuranoClass, object_id: str, executor: Any, owner: Any = None,
                 name: str | None = None, metadata: Any = None):
        self.type = cls
        self.id = object_id
        self.owner = owner
        self.name = name
        self.metadata = metadata
        self.values: dict[str, Any] = {}
        self.private: dict[tuple[str, str], Any] = {}
        self.destroyed = False
        self.extension: Any = None
        self.parts: dict[Any, Any] = {}  # MuranoClass -> instance of its Python part
        self.executor = executor
        self.dependencies: list[tuple[str, str | None]] = []  # (subscriber id, handler)
        self.designer: dict[str, Any] = {}
        self.state = "new"  # new -> initializing -> ready

    def __repr__(self) -> str:
        return f"<{self.type.name} {self.id}>"

    __str__ = __repr__

    # -- helpers for Python system classes
    def get_property(self, name: str) -> Any:
        return self.executor.read_property(self, name, None)

    def set_property(self, name: str, value: Any) -> None:
        self.executor.write_property(self, name, value, None)

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.executor.call(self, method, args, kwargs, entry=False)

    def find_owner(self, type_name: str) -> MuranoObject | None:
        cls = self.executor.load_class(type_name)
        owner = self.owner
        while owner is not None:
            if owner.type.is_compatible(cls):
                return owner  # type: ignore[no-any-return]
            owner = owner.owner
        return None


class TypeRef:
    """A reference to a class (``:Foo``, ``type('a.Foo')``): static members, identity per class."""

    __slots__ = ("type",)

    def __init__(self, cls: MuranoClass):
        self.type = cls

    def __repr__(self) -> str:
        return f"{self.type.name}/{self.type.version}@{self.type.package.name}"

    __str__ = __repr__


class CastView:
    """``cast($obj, T)``: the object seen as one of its classes (dispatch starts at T)."""

    __slots__ = ("obj", "view_type")

    def __init__(self, obj: MuranoObject, view_type: MuranoClass):
        self.obj = obj
        self.view_type = view_type

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CastView):
            return other.obj is self.obj and other.view_type is self.view_type
        return other is self.obj

    def __hash__(self) -> int:
        return hash(self.obj.id)

    def __repr__(self) -> str:
        return f"<{self.view_type.name} view of {self.obj.id}>"


class Placeholder:
    """An object id seen before its object exists (first pass of a model load)."""

    __slots__ = ("id",)

    def __init__(self, object_id: str):
        self.id = object_id


HANDLED_TYPES = (MuranoObject, TypeRef, CastView)
ex.register_atomic(MuranoObject, TypeRef, CastView, Placeholder)


def real_object(value: Any) -> Any:
    return value.obj if type(value) is CastView else value


class Frame:
    __slots__ = ("executor", "method", "this", "context", "result", "handling", "type")

    def __init__(self, executor: Any, method: MuranoMethod, this: Any, context: Any):
        self.executor = executor
        self.method = method
        self.this = this
        self.context = context
        self.result = None
        self.handling: list[BaseException] = []
        self.type = method.declaring_type


def current_frame(context: Any) -> Frame | None:
    return context.get_data("?frame") if context is not None else None  # type: ignore[no-any-return]


class MemberAccessImpl:
    def __init__(self, executor: Any):
        self.executor = executor
        self._extension_cache: dict[tuple[MuranoClass, str], list[MuranoMethod]] = {}

    @staticmethod
    def is_handled(value: Any) -> bool:
        t = type(value)
        return t is MuranoObject or t is TypeRef or t is CastView

    @staticmethod
    def is_object(value: Any) -> bool:
        t = type(value)
        return t is MuranoObject or t is CastView

    @staticmethod
    def is_placeholder(value: Any) -> bool:
        return type(value) is Placeholder

    @staticmethod
    def is_owned_by(value: Any, owner: Any) -> bool:
        obj = real_object(value)
        owner = real_object(owner)
        current = getattr(obj, "owner", None)
        while current is not None:
            if current is owner:
                return True
            current = current.owner
        return False

    def type_ref(self, ns: str | None, name: str, context: Any) -> TypeRef:
        frame = current_frame(context)
        scope = frame.type if frame is not None else context.get_data("?type")
        cls = self.executor.resolve_class(f"{ns or ''}:{name}", scope)
        return self.executor.type_ref(cls)

    def create(self, type_value: Any, props: dict[str, Any], context: Any) -> Any:
        frame = current_frame(context)
        scope = frame.type if frame is not None else context.get_data("?type")
        return self.executor.new(type_value, props, scope=scope)

    def read(self, value: Any, name: str, context: Any) -> Any:
        frame = current_frame(context)
        caller = frame.type if frame is not None else context.get_data("?type")
        t = type(value)
        if t is TypeRef:
            prop = value.type.find_static_property(name)
            if prop is None:
                raise NoPropertyFound(name, value.type.name)
            return self.executor.get_static(prop)
        if t is CastView:
            value = value.obj
        return self.executor.read_property(value, name, caller)

    def read_for_update(self, value: Any, name: str, context: Any) -> Any:
        try:
            return self.read(value, name, context)
        except Exception:  # noqa: BLE001 - uninitialised reads as {} for deep updates
            return ex.FrozenDict({})

    def write(self, value: Any, name: str, new_value: Any, context: Any) -> None:
        frame = current_frame(context)
        caller = frame.type if frame is not None else context.get_data("?type")
        if type(value) is TypeRef:
            prop = value.type.find_static_property(name)
            if prop is None:
                raise NoPropertyFound(name, value.type.name)
            self.executor.set_static(prop, new_value, caller)
            return
        self.executor.write_property(real_object(value), name, new_value, caller)

    def call(self, value: Any, name: str, args: list[Any], kwargs: dict[str, Any],
             context: Any) -> Any:
        executor = self.executor
        t = type(value)
        if t is TypeRef:
            cls = value.type
            method = cls.find_method(name)
            if method is None:
                raise NoMethodFound(name, cls.name)
            if not method.is_static:
                raise NoMatchingMethodException(name, f" (method of {cls.name} is not static)")
            return executor.invoke(method, value, args, kwargs)
        if t is CastView:
            cls = value.view_type
            value = value.obj
        else:
            cls = value.type
        method = cls.find_method(name)
        if method is None or method.is_extension:
            found = self._call_visible_extension(value, name, args, kwargs, context)
            if found is not NOT_HANDLED:
                return found
            if method is not None:
                raise NoMatchingMethodException(name, " (extension methods take the receiver"
                                                      " as their first argument)")
            return NOT_HANDLED
        if method.is_static:
            return executor.invoke(method, executor.type_ref(method.declaring_type), args, kwargs)
        return executor.invoke(method, value, args, kwargs)

    def _extensions(self, context: Any, name: str) -> list[MuranoMethod]:
        frame = current_frame(context)
        if frame is None:
            return []
        key = (frame.type, name)
        found = self._extension_cache.get(key)
        if found is None:
            found = frame.type.find_extension(name, self.executor)
            self._extension_cache[key] = found
        return found

    def _call_visible_extension(self, value: Any, name: str, args: list[Any],
                                kwargs: dict[str, Any], context: Any) -> Any:
        for method in self._extensions(context, name):
            if self._accepts_receiver(method, value):
                return self.executor.invoke(method, self.executor.type_ref(method.declaring_type),
                                            [value, *args], kwargs)
        return NOT_HANDLED

    def _accepts_receiver(self, method: MuranoMethod, value: Any) -> bool:
        if method.python is not None:
            return True
        if not method.standard:
            return False
        call = ContractCall(self.executor, None, None, method.declaring_type, None)
        return method.standard[0].contract.accepts(value, call)

    def call_extension(self, value: Any, name: str, arg_nodes: tuple[Any, ...], context: Any,
                       engine: Any) -> Any:
        methods = self._extensions(context, name)
        if not methods:
            return NOT_HANDLED
        for method in methods:
            if self._accepts_receiver(method, value):
                args, kwargs = ex.eval_args(arg_nodes, context, engine)
                return self.executor.invoke(
                    method, self.executor.type_ref(method.declaring_type), [value, *args], kwargs)
        return NOT_HANDLED


def bind_arguments(executor: Any, method: MuranoMethod, receiver: Any, args: Any,
                   kwargs: Mapping[str, Any], context: Any) -> list[Any]:
    """Positional and keyword values -> one value per declared argument, contracts applied."""
    call = ContractCall(executor, receiver, None, method.declaring_type, context)
    prefix = f"{method.declaring_type.name}::{method.name}"
    standard = method.standard
    if method.fast and not kwargs and len(args) == len(standard):
        values = []
        for arg, value in zip(standard, args, strict=True):
            call.prefix = f"{prefix}({arg.name})"
            values.append(arg.contract.apply(value, call))
        return values
    positional = list(args)
    if len(positional) > len(standard) and method.varargs is None:
        raise NoMatchingMethodException(
            method.name, f": {len(positional)} positional arguments given, at most "
            f"{len(standard)} accepted")
    bound: dict[str, Any] = {}
    for arg, value in zip(standard, positional, strict=False):
        bound[arg.name] = value
    extra_positional = positional[len(standard):]
    extra_kwargs: dict[str, Any] = {}
    for key, value in kwargs.items():
        if key in method.by_name:
            if key in bound:
                raise NoMatchingMethodException(method.name, f": argument {key} given twice")
            bound[key] = value
        elif method.kwargs is not None:
            extra_kwargs[key] = value
        else:
            raise NoMatchingMethodException(method.name, f": unexpected keyword argument {key}")
    values = []
    for arg in standard:
        call.prefix = f"{prefix}({arg.name})"
        if arg.name in bound:
            value = bound[arg.name]
        elif arg.has_default:
            value = executor.evaluate_default(arg.default, context)
        else:
            value = None
        values.append(arg.contract.apply(value, call))
    if method.varargs is not None:
        arg = method.varargs
        call.prefix = f"{prefix}({arg.name})"
        values.append(tuple(arg.contract.apply(v, call) for v in extra_positional))
    if method.kwargs is not None:
        arg = method.kwargs
        call.prefix = f"{prefix}({arg.name})"
        values.append(ex.FrozenDict({k: arg.contract.apply(v, call)
                                     for k, v in extra_kwargs.items()}))
    return values


def run_method(executor: Any, method: MuranoMethod, receiver: Any, args: Any,
               kwargs: Mapping[str, Any], entry: bool = False) -> Any:
    """The call pipeline: checks, binding, a fresh method scope, the body, the result."""
    if entry and not method.is_action and not method.name.startswith("."):
        raise MethodNotExposed(method.name, method.declaring_type.name)
    if type(receiver) is MuranoObject and receiver.destroyed:
        raise ObjectDestroyedError(receiver)
    cls = method.declaring_type
    context = cls.context.create_child_context()
    data = context._data  # noqa: SLF001 - a fresh context: fill it without re-normalising keys
    data["$this"] = receiver
    data["$1"] = receiver
    if method.arguments:
        values = bind_arguments(executor, method, receiver, args, kwargs, context)
        for key, value in zip(method.context_keys, values, strict=True):
            data[key] = value
    else:
        if args or kwargs:
            raise NoMatchingMethodException(method.name, ": the method takes no arguments")
        values = []
    if method.python is not None:
        return executor.call_python(method, receiver, values, context)
    frame = Frame(executor, method, receiver, context)
    data["$?frame"] = frame
    executor.enter(frame)
    try:
        body = method.body
        signal = body(frame) if body is not None else None
    except RecursionError:
        raise LimitExceeded("recursion depth", sys.getrecursionlimit(),
                            "dsl.recursion_limit") from None
    except Exception as exc:
        pending = getattr(exc, "mpl_pending", None)
        location, text = pending if pending else (method.location, "")
        try:
            exc.mpl_pending = None  # type: ignore[attr-defined]
        except AttributeError:
            pass
        add_frame(exc, StackFrame(location, method.name, cls.name, text))
        raise
    finally:
        executor.leave(frame)
    if signal is RETURN or signal is None:
        return frame.result
    if signal is BREAK or signal is CONTINUE:
        raise method_level_signal_error(signal)
    return frame.result


def is_static_usage(usage: PropertyUsage) -> bool:
    return usage == PropertyUsage.Static
