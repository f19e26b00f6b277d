"""yaql expressions: parse once, rewrite the tree into fast nodes, evaluate, freeze.

Murano spent most of its time in yaql's overload resolution. Here each
expression is parsed once (cached per engine) and its tree is rewritten:

* ``$name`` reads the context directly;
* ``$obj.prop`` and ``$obj.method(...)`` on MuranoPL objects and type
  references go straight to the runtime's :class:`MemberAccess` (property
  visibility rules, method dispatch, contracts) without overload resolution;
* ``+ - * < > <= >= = != and or not`` on plain ints/strings are computed
  directly; anything else falls back to the yaql operator it replaced.

Every other node is yaql's own, so semantics stay yaql's. Values returned
are frozen (tuples, FrozenDict, frozenset), as MuranoPL values are immutable.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from yaql.language import exceptions as yaql_exc
from yaql.language import expressions as yx
from yaql.language import utils

from fornace.dsl.errors import LimitExceeded

NO_VALUE = utils.NO_VALUE
FrozenDict = utils.FrozenDict
NOT_HANDLED = object()


class MemberAccess(Protocol):
    """What the runtime provides for ``.`` on its own values."""

    def is_handled(self, value: Any) -> bool: ...

    def read(self, value: Any, name: str, context: Any) -> Any: ...

    def call(self, value: Any, name: str, args: list[Any], kwargs: dict[str, Any],
             context: Any) -> Any: ...

    def call_extension(self, value: Any, name: str, arg_nodes: tuple[Any, ...],
                       context: Any, engine: Any) -> Any: ...

    def type_ref(self, ns: str | None, name: str, context: Any) -> Any: ...

    def create(self, type_value: Any, props: dict[str, Any], context: Any) -> Any: ...


class _Access:
    member: MemberAccess | None = None


ACCESS = _Access()


def install_member_access(member: MemberAccess) -> None:
    ACCESS.member = member


class FastVar(yx.Expression):
    __slots__ = ("name", "source")

    def __init__(self, source: str):
        self.source = source
        name = source if source.startswith("$") else "$" + source
        self.name = "$1" if name == "$" else name
        self.uses_receiver = False

    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        return context.get_data(self.name)

    def __str__(self) -> str:
        return self.source


def eval_args(args: tuple[Any, ...], context: Any, engine: Any) -> tuple[list[Any], dict[str, Any]]:
    positional: list[Any] = []
    named: dict[str, Any] = {}
    for arg in args:
        if isinstance(arg, yx.MappingRuleExpression) and isinstance(arg.source, yx.KeywordConstant):
            named[arg.source.value] = freeze(arg.destination(NO_VALUE, context, engine), engine)
        else:
            positional.append(freeze(arg(NO_VALUE, context, engine), engine))
    return positional, named


class DotProperty(yx.Function):
    """``receiver.name`` where name is a keyword."""

    def __init__(self, original: yx.BinaryOperator, left: Any, name: str, legacy: bool):
        super().__init__("#operator_.", left, original.args[1])
        self.uses_receiver = False
        self.left = left
        self.prop = name
        self.legacy = legacy

    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        value = self.left(NO_VALUE, context, engine)
        member = ACCESS.member
        if member is not None and member.is_handled(value):
            return member.read(value, self.prop, context)
        if isinstance(value, Mapping):
            if self.legacy:
                return value.get(self.prop)
            if self.prop in value:
                return value[self.prop]
        return context("#operator_.", engine, NO_VALUE, context)(yx.Constant(value), self.args[1])

    def __str__(self) -> str:
        return f"{self.left}.{self.prop}"


class DotCall(yx.Function):
    """``receiver.method(args)``."""

    def __init__(self, left: Any, call: yx.Function):
        super().__init__("#operator_.", left, call)
        self.uses_receiver = False
        self.left = left
        self.method = call.name
        self.call_args = call.args

    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        value = self.left(NO_VALUE, context, engine)
        member = ACCESS.member
        if member is not None:
            if member.is_handled(value):
                args, kwargs = eval_args(self.call_args, context, engine)
                result = member.call(value, self.method, args, kwargs, context)
                if result is not NOT_HANDLED:
                    return result
                return context("#operator_.", engine, NO_VALUE, context)(
                    yx.Constant(value), self.args[1])
            result = member.call_extension(value, self.method, self.call_args, context, engine)
            if result is not NOT_HANDLED:
                return result
        return context("#operator_.", engine, NO_VALUE, context)(yx.Constant(value), self.args[1])

    def __str__(self) -> str:
        return "{}.{}({})".format(self.left, self.method, ", ".join(map(str, self.call_args)))


_INT_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
    "=": operator.eq,
    "!=": operator.ne,
}
_STR_OPS = {"+", "=", "!=", "<", ">", "<=", ">="}


class FastNew(yx.Function):
    """``new(Type, prop => value, ...)``: straight to the runtime, no overload resolution."""

    def __init__(self, original: yx.Function):
        super().__init__(original.name, *original.args)
        self.uses_receiver = False
        self.type_arg = original.args[0]
        self.props = tuple((a.source.value, a.destination) for a in original.args[1:])

    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        member = ACCESS.member
        type_value = self.type_arg(NO_VALUE, context, engine)
        props = {name: freeze(node(NO_VALUE, context, engine), engine)
                 for name, node in self.props}
        assert member is not None
        return member.create(type_value, props, context)


def _fast_new(node: yx.Function) -> bool:
    if node.name != "new" or not node.args or type(node) is not yx.Function:
        return False
    first = node.args[0]
    if not isinstance(first, TypeRefNode | yx.Constant) or isinstance(
            first, yx.MappingRuleExpression):
        return False
    reserved = {"owner", "objectName", "extra"}
    return all(isinstance(a, yx.MappingRuleExpression) and isinstance(a.source, yx.KeywordConstant)
               and a.source.value not in reserved for a in node.args[1:])


class NullSafe(yx.Function):
    """``receiver?.member``: null when the receiver is null."""

    def __init__(self, original: yx.Function, dot: Any):
        super().__init__(original.name, *original.args)
        self.uses_receiver = False
        self.dot = dot

    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        value = self.dot.left(NO_VALUE, context, engine)
        if value is None:
            return None
        return self.dot.__class__.__call__(_Fixed(self.dot, value), receiver, context, engine)

    def __str__(self) -> str:
        return str(self.dot).replace(".", "?.", 1)


class _Fixed:
    """A dot node whose receiver is already evaluated."""

    def __init__(self, dot: Any, value: Any):
        self.__dict__.update(dot.__dict__)
        self.left = lambda receiver, context, engine: value


class FastBinary(yx.Function):
    def __init__(self, original: yx.BinaryOperator):
        super().__init__(original.name, *original.args)
        self.uses_receiver = False
        self.op = original.operator
        self.fn = _INT_OPS[self.op]

    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        left, right = self.args
        lv = left(NO_VALUE, context, engine)
        rv = right(NO_VALUE, context, engine)
        tl, tr = type(lv), type(rv)
        if tl is int and tr is int:
            return self.fn(lv, rv)
        if tl is tuple and tr is tuple and self.op == "+":
            quota = engine.options.get("yaql.memoryQuota", -1)
            if 0 < quota < 8 * (len(lv) + len(rv)):
                raise LimitExceeded("memory", quota, "dsl.memory_quota")
            return lv + rv
        if tl is str and tr is str and self.op in _STR_OPS:
            result = self.fn(lv, rv)
            if self.op == "+" and len(result) > engine.options.get("yaql.memoryQuota", -1) > 0:
                raise LimitExceeded("memory", engine.options["yaql.memoryQuota"],
                                    "dsl.memory_quota")
            return result
        return context(self.name, engine, NO_VALUE, context)(yx.Constant(lv), yx.Constant(rv))

    def __str__(self) -> str:
        return f"{self.args[0]} {self.op} {self.args[1]}"


class FastAnd(yx.Function):
    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        left = self.args[0](NO_VALUE, context, engine)
        if not left:
            return left
        return self.args[1](NO_VALUE, context, engine)


class FastOr(yx.Function):
    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        left = self.args[0](NO_VALUE, context, engine)
        if left:
            return left
        return self.args[1](NO_VALUE, context, engine)


class FastNot(yx.Function):
    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        return not self.args[0](NO_VALUE, context, engine)


class TypeRefNode(yx.Function):
    """``ns:Name`` and ``:Name``: a type reference resolved with the caller's namespaces."""

    def __init__(self, original: yx.Function, ns: str | None, name: str):
        super().__init__(original.name, *original.args)
        self.uses_receiver = False
        self.ns = ns
        self.type_name = name

    def __call__(self, receiver: Any, context: Any, engine: Any) -> Any:
        member = ACCESS.member
        assert member is not None
        return member.type_ref(self.ns, self.type_name, context)

    def __str__(self) -> str:
        return f"{self.ns or ''}:{self.type_name}"


def _keyword(node: Any) -> str | None:
    if isinstance(node, yx.KeywordConstant) and isinstance(node.value, str):
        return node.value
    return None


def rewrite(node: Any, legacy: bool) -> Any:
    """Replace hot yaql nodes by fast ones; returns the new node."""
    if isinstance(node, yx.GetContextValue):
        return FastVar(node.path.value)
    if isinstance(node, yx.MappingRuleExpression):
        node.source = rewrite(node.source, legacy)
        node.destination = rewrite(node.destination, legacy)
        return node
    if isinstance(node, yx.Wrap):
        node.expr = rewrite(node.expr, legacy)
        return node
    if not isinstance(node, yx.Function) or isinstance(node, yx.Statement):
        return node
    if isinstance(node, yx.BinaryOperator) and node.operator == ":":
        ns, name = _keyword(node.args[0]), _keyword(node.args[1])
        if ns is not None and name is not None:
            return TypeRefNode(node, ns, name)
    if isinstance(node, yx.UnaryOperator) and node.operator == ":":
        name = _keyword(node.args[0])
        if name is not None:
            return TypeRefNode(node, None, name)
    if isinstance(node, yx.BinaryOperator) and node.operator == "?.":
        inner = yx.BinaryOperator(".", node.args[0], node.args[1], None)
        dot = rewrite(inner, legacy)
        if isinstance(dot, DotProperty | DotCall):
            return NullSafe(node, dot)
        node.args = tuple(rewrite(a, legacy) for a in node.args)
        return node
    if isinstance(node, yx.BinaryOperator) and node.operator == ".":
        left = rewrite(node.args[0], legacy)
        right = node.args[1]
        prop = _keyword(right)
        if prop is not None:
            return DotProperty(node, left, prop, legacy)
        if type(right) is yx.Function:
            right.args = tuple(rewrite(a, legacy) for a in right.args)
            return DotCall(left, right)
        node.args = (left, rewrite(right, legacy))
        return node
    node.args = tuple(rewrite(a, legacy) for a in node.args)
    if _fast_new(node):
        return FastNew(node)
    if isinstance(node, yx.BinaryOperator):
        if node.operator in _INT_OPS:
            return FastBinary(node)
        if node.operator == "and":
            return FastAnd(node.name, *node.args)
        if node.operator == "or":
            return FastOr(node.name, *node.args)
    if isinstance(node, yx.UnaryOperator) and node.operator == "not":
        return FastNot(node.name, *node.args)
    return node


ATOMIC: set[type] = {str, int, float, bool, type(None), FrozenDict}


def register_atomic(*types: type) -> None:
    """Types freeze() returns as they are (the runtime's objects and references)."""
    ATOMIC.update(types)


def freeze(value: Any, engine: Any = None) -> Any:
    """MuranoPL's immutable form of a value; iterators are materialised within the limit."""
    t = type(value)
    if t in ATOMIC:
        return value
    if t is tuple:
        for item in value:
            if type(item) not in ATOMIC:
                return tuple(freeze(v, engine) for v in value)
        return value
    if isinstance(value, Mapping):
        return FrozenDict({freeze(k, engine): freeze(v, engine) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v, engine) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(freeze(v, engine) for v in value)
    if isinstance(value, utils.MappingRule):
        return value
    if utils.is_iterator(value) or hasattr(value, "__next__") or utils.is_iterable(value):
        limit = _iterator_limit(engine)
        items = []
        for i, item in enumerate(value):
            if 0 <= limit <= i:
                raise LimitExceeded("iterations", limit, "dsl.iterators_limit")
            items.append(freeze(item, engine))
        return tuple(items)
    return value


def _iterator_limit(engine: Any) -> int:
    if engine is None:
        return -1
    return int(engine.options.get("yaql.limitIterators", -1))


def thaw(value: Any) -> Any:
    """Mutable Python copies (lists and dicts) of a frozen value, for Python code."""
    if isinstance(value, Mapping):
        return {thaw(k): thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    if isinstance(value, set | frozenset):
        return [thaw(v) for v in value]
    return value


class Evaluator:
    """A parsed, rewritten expression bound to its engine."""

    __slots__ = ("node", "engine", "source", "location")

    def __init__(self, node: Any, engine: Any, source: str, location: Any = None):
        self.node = node
        self.engine = engine
        self.source = source
        self.location = location

    def __call__(self, context: Any) -> Any:
        try:
            return freeze(self.node(NO_VALUE, context, self.engine), self.engine)
        except yaql_exc.WrappedException as exc:
            raise exc.wrapped from None
        except yaql_exc.CollectionTooLargeException:
            limit = _iterator_limit(self.engine)
            raise LimitExceeded("iterations", limit, "dsl.iterators_limit") from None
        except yaql_exc.MemoryQuotaExceededException:
            quota = self.engine.options.get("yaql.memoryQuota")
            raise LimitExceeded("memory", quota, "dsl.memory_quota") from None

    def raw(self, context: Any) -> Any:
        """Evaluate without freezing (used for lazy collections inside yaql functions)."""
        return self.node(NO_VALUE, context, self.engine)

    def __repr__(self) -> str:
        return f"Evaluator({self.source!r})"
