"""Contracts: the value checks and coercions of properties and arguments.

A contract is YAML data: a yaql expression (``$.int().notNull()``), a list,
a dict or a scalar. Chains of contract functions on ``$`` are compiled to
Python steps; any other expression (``$.int() or 5672``) is evaluated by yaql
in a context where the contract functions are registered as methods.

Modes: ``transform`` coerces and validates (values being assigned or
passed); ``validate`` checks strictly without coercion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from yaql.language import expressions as yx
from yaql.language import specs, utils, yaqltypes

from fornace.dsl import expressions as ex
from fornace.dsl.errors import ContractViolationException, DslContractSyntaxError
from fornace.dsl.loader import YaqlExpr

FrozenDict = utils.FrozenDict


class ContractCall:
    """Who is asking: the object (``this``), the owner for new objects, the names scope.

    ``context`` (the yaql context check() predicates run in, with ``$this``) is
    made only when a contract needs it.
    """

    __slots__ = ("executor", "this", "owner", "scope_type", "_context", "prefix", "strict")

    def __init__(self, executor: Any, this: Any, owner: Any, scope_type: Any, context: Any,
                 prefix: str = "", strict: bool = False):
        self.executor = executor
        self.this = this
        self.owner = owner
        self.scope_type = scope_type
        self._context = context
        self.prefix = prefix
        self.strict = strict

    @property
    def context(self) -> Any:
        if self._context is None:
            self._context = self.executor.object_context(self.this, self.scope_type)
        return self._context


class Violation(Exception):
    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.message = message
        self.path = path


def _fmt(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return str(ex.thaw(value))


class Contract:
    def apply(self, value: Any, call: ContractCall) -> Any:
        """Transform (or validate when ``call.strict``); raise ContractViolationException."""
        try:
            return self.run(value, call)
        except Violation as exc:
            raise ContractViolationException(
                f"[{call.prefix}{exc.path}] {exc.message}" if call.prefix else exc.message
            ) from None

    def run(self, value: Any, call: ContractCall) -> Any:
        raise NotImplementedError

    def accepts(self, value: Any, call: ContractCall) -> bool:
        """check_type mode: could the value pass (used for extension receivers)?"""
        try:
            self.run(value, ContractCall(call.executor, call.this, call.owner, call.scope_type,
                                         call._context, call.prefix, True))
            return True
        except Exception:  # noqa: BLE001 - any failure means "does not accept"
            return False


class AnyContract(Contract):
    def run(self, value: Any, call: ContractCall) -> Any:
        return value


class ScalarContract(Contract):
    def __init__(self, expected: Any):
        self.expected = expected

    def run(self, value: Any, call: ContractCall) -> Any:
        if value != self.expected:
            raise Violation(f"Value {_fmt(value)} is not equal to {_fmt(self.expected)}")
        return value


class ListContract(Contract):
    def __init__(self, items: list[Contract], min_len: int, max_len: int | None):
        self.items = items
        self.min_len = min_len
        self.max_len = max_len

    def run(self, value: Any, call: ContractCall) -> Any:
        if value is None:
            value = ()
        elif isinstance(value, Mapping) or isinstance(value, str | int | float | bool) or \
                call.executor.member_access.is_handled(value):
            value = (value,)
        else:
            value = ex.freeze(tuple(value) if not isinstance(value, tuple) else value)
        n = len(value)
        if self.max_len is not None and not self.min_len <= n <= self.max_len:
            raise Violation(f"Array length {n} is not within [{self.min_len}..{self.max_len}] range")
        if n < self.min_len:
            raise Violation(f"Array length {n} must not be less than {self.min_len}")
        if not self.items:
            return value
        result = []
        last = len(self.items) - 1
        for i, item in enumerate(value):
            contract = self.items[min(i, last)]
            try:
                result.append(contract.run(item, call))
            except Violation as exc:
                raise Violation(exc.message, f"[{i}]{exc.path}") from None
        return tuple(result)


class DictContract(Contract):
    def __init__(self, keys: dict[Any, Contract], key_contract: Contract | None,
                 value_contract: Contract | None):
        self.keys = keys
        self.key_contract = key_contract
        self.value_contract = value_contract

    def run(self, value: Any, call: ContractCall) -> Any:
        if value is None:
            value = FrozenDict({})
        if not isinstance(value, Mapping):
            raise Violation(f"Value {_fmt(value)} is not of a dictionary type")
        if not self.keys and self.key_contract is None:
            return value
        result: dict[Any, Any] = {}
        for key, contract in self.keys.items():
            try:
                result[key] = contract.run(value.get(key), call)
            except Violation as exc:
                raise Violation(exc.message, f"[{key!r}]{exc.path}") from None
        if self.key_contract is not None:
            assert self.value_contract is not None
            for key, item in value.items():
                if key in self.keys:
                    continue
                try:
                    new_key = self.key_contract.run(key, call)
                    result[new_key] = self.value_contract.run(item, call)
                except Violation as exc:
                    raise Violation(exc.message, f"[{key!r}]{exc.path}") from None
        return FrozenDict(result)


# ---------------------------------------------------------------- contract functions

def c_string(value: Any, call: ContractCall) -> Any:
    if value is None or isinstance(value, str):
        return value
    if call.strict:
        raise Violation(f"Value {_fmt(value)} violates string() contract")
    if isinstance(value, int):
        return str(value)
    if call.executor.member_access.is_object(value):
        return value.id
    raise Violation(f"Value {_fmt(value)} violates string() contract")


def c_int(value: Any, call: ContractCall) -> Any:
    if value is None:
        return None
    if call.strict:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise Violation(f"Value {_fmt(value)} violates int() contract")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Violation(f"Value {_fmt(value)} violates int() contract") from None


def c_bool(value: Any, call: ContractCall) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if call.strict:
        raise Violation(f"Value {_fmt(value)} violates bool() contract")
    return bool(value)


def c_not_null(value: Any, call: ContractCall) -> Any:
    if value is None:
        raise Violation("null value violates notNull() contract")
    return value


def c_check(value: Any, call: ContractCall, predicate: Any, message: Any = None) -> Any:
    if call.executor.member_access.is_placeholder(value):
        return value
    context = call.context.create_child_context()
    context["$"] = value
    ok = predicate(context) if callable(predicate) else predicate
    if not ok:
        raise Violation(str(message) if message else f"Value {_fmt(value)} doesn't match predicate")
    return value


def c_class(value: Any, call: ContractCall, type_: Any, default_type: Any = None,
            version_spec: Any = None) -> Any:
    return call.executor.coerce_object(value, type_, default_type, version_spec, call)


def c_template(value: Any, call: ContractCall, type_: Any, default_type: Any = None,
               version_spec: Any = None, exclude_properties: Any = None) -> Any:
    return call.executor.coerce_template(value, type_, default_type, version_spec,
                                         exclude_properties, call)


def c_owned(value: Any, call: ContractCall) -> Any:
    access = call.executor.member_access
    if value is None or access.is_placeholder(value):
        return value
    if not access.is_owned_by(value, call.this):
        raise Violation(f"Object {value} violates owned() contract")
    return value


def c_not_owned(value: Any, call: ContractCall) -> Any:
    access = call.executor.member_access
    if value is None or access.is_placeholder(value):
        return value
    if access.is_owned_by(value, call.this):
        raise Violation(f"Object {value} violates notOwned() contract")
    return value


CONTRACT_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "string": c_string,
    "int": c_int,
    "bool": c_bool,
    "notNull": c_not_null,
    "check": c_check,
    "class": c_class,
    "template": c_template,
    "owned": c_owned,
    "notOwned": c_not_owned,
}
_LAZY_FIRST_ARG = {"check"}
_KWARG_NAMES = {"defaultType": "default_type", "versionSpec": "version_spec",
                "excludeProperties": "exclude_properties", "msg": "message"}


class ChainContract(Contract):
    """``$.f1(args).f2(args)...`` over the contract functions."""

    def __init__(self, steps: list[tuple[Callable[..., Any], list[Any], dict[str, Any]]],
                 engine: Any):
        self.steps = steps
        self.engine = engine

    def run(self, value: Any, call: ContractCall) -> Any:
        for fn, args, kwargs in self.steps:
            if args or kwargs:
                value = fn(value, call, *[a(call) for a in args],
                           **{k: v(call) for k, v in kwargs.items()})
            else:
                value = fn(value, call)
        return value


class ExpressionContract(Contract):
    """Any other expression: yaql evaluates it with the contract functions registered."""

    def __init__(self, evaluator: ex.Evaluator):
        self.evaluator = evaluator

    def run(self, value: Any, call: ContractCall) -> Any:
        context = call.executor.contract_context(call).create_child_context()
        context["$"] = value
        context["?contract_call"] = call
        try:
            return self.evaluator(context)
        except ContractViolationException as exc:
            raise Violation(exc.message) from None


def _arg_fn(node: Any, engine: Any, lazy: bool) -> Callable[[ContractCall], Any]:
    evaluator = ex.Evaluator(node, engine, str(node))
    if lazy:
        return lambda call: evaluator
    if isinstance(node, yx.Constant) and not isinstance(node, yx.KeywordConstant):
        value = ex.freeze(node.value)
        return lambda call: value
    return lambda call: evaluator(call.context)


def _compile_chain(node: Any, engine: Any) -> list[tuple[Callable[..., Any], list[Any],
                                                           dict[str, Any]]] | None:
    steps = []
    while isinstance(node, ex.DotCall):
        fn = CONTRACT_FUNCTIONS.get(node.method)
        if fn is None:
            return None
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for i, arg in enumerate(node.call_args):
            lazy = node.method in _LAZY_FIRST_ARG and i == 0
            if isinstance(arg, yx.MappingRuleExpression) and isinstance(
                    arg.source, yx.KeywordConstant):
                name = _KWARG_NAMES.get(arg.source.value, arg.source.value)
                kwargs[name] = _arg_fn(arg.destination, engine, False)
            else:
                args.append(_arg_fn(arg, engine, lazy))
        steps.append((fn, args, kwargs))
        node = node.left
    if not (isinstance(node, ex.FastVar) and node.name == "$1"):
        return None
    steps.reverse()
    return steps


def compile_contract(data: Any, engine: Any) -> Contract:
    if isinstance(data, YaqlExpr):
        node = data.parsed
        if isinstance(node, ex.FastVar) and node.name == "$1":
            return AnyContract()
        steps = _compile_chain(node, engine)
        if steps is not None:
            return ChainContract(steps, engine)
        return ExpressionContract(ex.Evaluator(node, engine, data.source, data.location))
    if isinstance(data, list):
        items = list(data)
        bounds: list[int] = []
        while items and isinstance(items[-1], int) and not isinstance(items[-1], bool):
            bounds.insert(0, items.pop())
        if len(bounds) > 2:
            raise DslContractSyntaxError(f"Too many length bounds in list contract {data!r}")
        min_len = bounds[0] if bounds else 0
        max_len = bounds[1] if len(bounds) == 2 else None
        return ListContract([compile_contract(i, engine) for i in items], min_len, max_len)
    if isinstance(data, Mapping):
        keys: dict[Any, Contract] = {}
        key_contract = value_contract = None
        for key, value in data.items():
            if isinstance(key, YaqlExpr):
                if key_contract is not None:
                    raise DslContractSyntaxError(
                        "Dictionary contract cannot have more than one expression key")
                key_contract = compile_contract(key, engine)
                value_contract = compile_contract(value, engine)
            else:
                keys[key] = compile_contract(value, engine)
        return DictContract(keys, key_contract, value_contract)
    if data is None:
        return AnyContract()
    return ScalarContract(data)


def register_contract_functions(context: Any) -> None:
    """yaql forms of the contract functions for ExpressionContract."""
    def make(name: str, fn: Callable[..., Any]) -> Any:
        @specs.name(name)
        @specs.method
        @specs.parameter("value", nullable=True)
        @specs.inject("context", yaqltypes.Context())
        def contract_method(context: Any, value: Any, *args: Any) -> Any:
            call = context.get_data("?contract_call")
            if name == "check" and args:
                predicate = args[0]
                try:
                    return fn(value, call, lambda ctx: predicate(ctx), *args[1:])
                except Violation as exc:
                    raise ContractViolationException(exc.message) from None
            try:
                return fn(value, call, *args)
            except Violation as exc:
                raise ContractViolationException(exc.message) from None
        if name == "check":
            contract_method = specs.parameter("args", yaqltypes.Lambda())(contract_method)
        return contract_method

    for name, fn in CONTRACT_FUNCTIONS.items():
        if name == "check":
            context.register_function(_check_function(fn))
        else:
            context.register_function(make(name, fn))


def _check_function(fn: Callable[..., Any]) -> Any:
    @specs.name("check")
    @specs.method
    @specs.parameter("value", nullable=True)
    @specs.parameter("predicate", yaqltypes.Lambda(with_context=True))
    @specs.parameter("message", nullable=True)
    @specs.inject("context", yaqltypes.Context())
    def check(context: Any, value: Any, predicate: Any, message: Any = None) -> Any:
        call = context.get_data("?contract_call")

        def evaluate(ctx: Any) -> Any:
            return predicate(ctx, ctx.get_data("$1"))
        try:
            return fn(value, call, evaluate, message)
        except Violation as exc:
            raise ContractViolationException(exc.message) from None
    return check
