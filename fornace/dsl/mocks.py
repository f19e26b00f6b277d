"""Mocks for MuranoPL tests: ``inject`` and ``withOriginal`` (test runner only).

* ``inject(target, methodName, mockObject, mockMethodName)``: calls of
  ``methodName`` on the target's class go to ``mockObject.mockMethodName``;
* ``inject(target, methodName, expr)``: they evaluate ``expr`` in the injecting
  code's context, with ``$`` (and ``$1``) = the injecting object and the call's
  positional arguments as ``$2``, ``$3``... (as Murano); ``originalMethod()`` calls
  the real method and
  ``withOriginal(name => expr)`` evaluates expressions in the original call's
  context (where ``$this`` is the real receiver).

Mocks last for the session and apply to calls made from MuranoPL code. These
functions are never part of the production root context.
"""

from __future__ import annotations

from typing import Any

from yaql.language import specs, yaqltypes

from fornace.dsl.runtime import HANDLED_TYPES, CastView, MuranoObject, TypeRef, real_object

TARGET = yaqltypes.PythonType((MuranoObject, CastView, TypeRef))


def _target_class(target: Any) -> Any:
    if isinstance(target, TypeRef):
        return target.type
    return real_object(target).type


def _executor(context: Any) -> Any:
    return context.get_data("?executor")


@specs.parameter("target", TARGET)
@specs.parameter("target_method", yaqltypes.String())
@specs.parameter("mock_object", yaqltypes.PythonType((MuranoObject, CastView)))
@specs.parameter("mock_name", yaqltypes.String())
@specs.name("inject")
def inject_method(context: Any, target: Any, target_method: str, mock_object: Any,
                  mock_name: str) -> None:
    executor = _executor(context)
    mock = real_object(mock_object)
    method = mock.type.find_method(mock_name)
    if method is None:
        from fornace.dsl.errors import NoMethodFound
        raise NoMethodFound(mock_name, mock.type.name)

    def handler(receiver: Any, args: list[Any], kwargs: dict[str, Any], call_ctx: Any) -> Any:
        return executor.invoke(method, mock, args, kwargs)

    executor.mocks[(_target_class(target).name, target_method)] = handler


@specs.parameter("target", TARGET)
@specs.parameter("target_method", yaqltypes.String())
@specs.parameter("expr", yaqltypes.Lambda(with_context=True))
@specs.name("inject")
def inject_expression(context: Any, target: Any, target_method: str, expr: Any) -> None:
    executor = _executor(context)
    cls = _target_class(target)
    mock_this = context.get_data("$this")

    def handler(receiver: Any, args: list[Any], kwargs: dict[str, Any], call_ctx: Any) -> Any:
        original = cls.find_method(target_method)
        original_context = cls.context.create_child_context()
        original_context["$this"] = receiver
        original_context["$"] = receiver
        new_context = context.create_child_context()
        new_context["?original_context"] = original_context

        @specs.name("originalMethod")
        def original_method() -> Any:
            return executor.invoke(original, receiver, args, kwargs)

        new_context.register_function(original_method)
        return expr(new_context, mock_this, *args, **kwargs)

    executor.mocks[(cls.name, target_method)] = handler


@specs.parameter("kwargs", yaqltypes.Lambda(with_context=True))
@specs.name("withOriginal")
def with_original(context: Any, **kwargs: Any) -> Any:
    new_context = context.create_child_context()
    original = context.get_data("?original_context")
    for name, value in kwargs.items():
        new_context["$" + name] = value(original)
    return new_context


MOCK_FUNCTIONS = [inject_method, inject_expression, with_original]
__all__ = ["MOCK_FUNCTIONS", "HANDLED_TYPES"]
