"""Method bodies to Python closures.

A compiled statement is ``fn(frame) -> signal``: ``None`` to go on, or one of
:data:`BREAK`, :data:`CONTINUE`, :data:`RETURN` (the value is in
``frame.result``). Expressions are parsed once by the loader; data with
expressions anywhere (keys included) becomes an evaluator closure. When an
error leaves a statement, the statement's file:line is noted on the error
and the method adds a MuranoPL stack frame.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from yaql.language import expressions as yx
from yaql.language import utils

from fornace.dsl import expressions as ex
from fornace.dsl.errors import (
    DslInvalidOperationError,
    DslSyntaxError,
    InvalidLhsTargetError,
    LimitExceeded,
    Location,
    MuranoPlException,
    murano_names,
)
from fornace.dsl.loader import SourceMap, YaqlExpr, location_of

BREAK = "break"
CONTINUE = "continue"
RETURN = "return"

Statement = Callable[[Any], Any]
DataFn = Callable[[Any], Any]
FrozenDict = utils.FrozenDict


class CompileEnv:
    """What compiling one method needs: its engine, names scope and where it lives."""

    def __init__(self, engine: Any, resolver: Any, type_name: str, method_name: str,
                 file: str = "<unknown>"):
        self.engine = engine
        self.resolver = resolver
        self.type_name = type_name
        self.method_name = method_name
        self.file = file

    def evaluator(self, expr: YaqlExpr) -> ex.Evaluator:
        return ex.Evaluator(expr.parsed, self.engine, expr.source, expr.location)

    def syntax_error(self, message: str, data: Any) -> DslSyntaxError:
        loc = location_of(data)
        where = f"{loc}: " if loc else ""
        return DslSyntaxError(
            f"{where}{message} (method {self.method_name} of type {self.type_name})")


def has_expressions(data: Any) -> bool:
    if isinstance(data, YaqlExpr):
        return True
    if isinstance(data, Mapping):
        return any(has_expressions(k) or has_expressions(v) for k, v in data.items())
    if isinstance(data, list | tuple):
        return any(has_expressions(v) for v in data)
    return False


def compile_data(data: Any, env: CompileEnv) -> DataFn:
    """YAML data (expressions anywhere) -> ``fn(context) -> frozen value``."""
    if not has_expressions(data):
        constant = ex.freeze(data)
        return lambda context: constant
    if isinstance(data, YaqlExpr):
        return env.evaluator(data)
    if isinstance(data, Mapping):
        pairs = [(compile_data(k, env), compile_data(v, env)) for k, v in data.items()]

        def build_dict(context: Any) -> Any:
            return FrozenDict({k(context): v(context) for k, v in pairs})
        return build_dict
    items = [compile_data(v, env) for v in data]
    return lambda context: tuple(item(context) for item in items)


def _note(exc: BaseException, location: Location | None, text: str) -> None:
    if getattr(exc, "mpl_pending", None) is None:
        try:
            exc.mpl_pending = (location, text)  # type: ignore[attr-defined]
        except AttributeError:
            pass


def compile_block(body: Any, env: CompileEnv) -> Statement:
    """A list of statements (or a single one) -> one closure."""
    if body is None:
        return lambda frame: None
    items = body if isinstance(body, list) else [body]
    statements = [(compile_statement(item, env), location_of(item), _text(item)) for item in items]
    if not statements:
        return lambda frame: None
    fns = tuple(s[0] for s in statements)
    meta = tuple((s[1], s[2]) for s in statements)

    if len(fns) == 1:
        only = fns[0]
        loc0 = meta[0]

        def run_single(frame: Any) -> Any:
            try:
                return only(frame)
            except Exception as exc:
                _note(exc, *loc0)
                raise
        return run_single

    def run_block(frame: Any) -> Any:
        i = 0
        try:
            for fn in fns:
                signal = fn(frame)
                if signal is not None:
                    return signal
                i += 1
        except Exception as exc:
            _note(exc, *meta[i])
            raise
        return None
    return run_block


def _text(item: Any) -> str:
    if isinstance(item, YaqlExpr):
        return item.source
    if isinstance(item, Mapping):
        return ", ".join(f"{k}: ..." for k in item)[:200]
    return str(item)[:200]


_MACROS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # name: (required keys, optional keys)
    "Return": (frozenset({"Return"}), frozenset()),
    "If": (frozenset({"If", "Then"}), frozenset({"Else"})),
    "While": (frozenset({"While", "Do"}), frozenset()),
    "For": (frozenset({"For", "In", "Do"}), frozenset()),
    "Repeat": (frozenset({"Repeat", "Do"}), frozenset()),
    "Break": (frozenset({"Break"}), frozenset()),
    "Continue": (frozenset({"Continue"}), frozenset()),
    "Match": (frozenset({"Match", "Value"}), frozenset({"Default"})),
    "Switch": (frozenset({"Switch"}), frozenset({"Default"})),
    "Do": (frozenset({"Do"}), frozenset()),
    "Parallel": (frozenset({"Parallel"}), frozenset({"Limit"})),
    "Try": (frozenset({"Try"}), frozenset({"Catch", "Else", "Finally"})),
    "Rethrow": (frozenset({"Rethrow"}), frozenset()),
    "Throw": (frozenset({"Throw"}), frozenset({"Message", "Extra", "Cause"})),
}


def _macro_name(item: Mapping[Any, Any]) -> str | None:
    keys = set(item)
    if not all(isinstance(k, str) for k in keys):
        return None
    for name, (required, optional) in _MACROS.items():
        if required <= keys and keys <= required | optional:
            return name
    return None


def compile_statement(item: Any, env: CompileEnv) -> Statement:
    if isinstance(item, YaqlExpr):
        evaluator = env.evaluator(item)

        def run_expression(frame: Any) -> None:
            evaluator(frame.context)
        return run_expression
    if isinstance(item, Mapping):
        name = _macro_name(item)
        if name is not None:
            builder: Callable[[Mapping[str, Any], CompileEnv], Statement] = globals()[
                "_macro_" + name.lower()]
            return builder(item, env)
        if len(item) == 1:
            key = next(iter(item))
            if isinstance(key, YaqlExpr):
                return _assignment(key, item[key], env)
        raise env.syntax_error("Syntax is incorrect in expression", item)
    if item is None or isinstance(item, str | int | float | bool):
        return lambda frame: None
    raise env.syntax_error("Syntax is incorrect in expression", item)


# ----------------------------------------------------------------- macros

def _macro_return(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    value = compile_data(item["Return"], env)

    def run_return(frame: Any) -> str:
        frame.result = value(frame.context)
        return RETURN
    return run_return


def _macro_if(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    condition = compile_data(item["If"], env)
    then = compile_block(item["Then"], env)
    otherwise = compile_block(item.get("Else"), env)

    def run_if(frame: Any) -> Any:
        if condition(frame.context):
            return then(frame)
        return otherwise(frame)
    return run_if


def _loop_body(body: Statement) -> Callable[[Any], Any]:
    """Run one iteration: returns None to go on, BREAK to stop, RETURN to leave."""
    def step(frame: Any) -> Any:
        signal = body(frame)
        if signal is CONTINUE or signal is None:
            return None
        return signal
    return step


def _macro_while(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    if not isinstance(item["While"], YaqlExpr):
        raise env.syntax_error("While must be an expression", item)
    condition = env.evaluator(item["While"])
    step = _loop_body(compile_block(item["Do"], env))

    def run_while(frame: Any) -> Any:
        tick = frame.executor.tick
        count = 0
        while condition(frame.context):
            count += 1
            tick(count)
            signal = step(frame)
            if signal is not None:
                return None if signal is BREAK else signal
        return None
    return run_while


def _macro_for(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    var = item["For"]
    if not isinstance(var, str):
        raise env.syntax_error("For must be a plain variable name", item)
    name = "$" + var.lstrip("$")
    collection = compile_data(item["In"], env)
    step = _loop_body(compile_block(item["Do"], env))

    def run_for(frame: Any) -> Any:
        values = collection(frame.context)
        if isinstance(values, Mapping):
            values = tuple(values.keys())
        elif values is None:
            values = ()
        elif isinstance(values, str | int | float | bool):
            values = (values,)
        tick = frame.executor.tick
        context = frame.context
        count = 0
        for value in values:
            count += 1
            tick(count)
            context[name] = value
            signal = step(frame)
            if signal is not None:
                return None if signal is BREAK else signal
        return None
    return run_for


def _macro_repeat(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    times = compile_data(item["Repeat"], env)
    step = _loop_body(compile_block(item["Do"], env))

    def run_repeat(frame: Any) -> Any:
        tick = frame.executor.tick
        for count in range(int(times(frame.context) or 0)):
            tick(count + 1)
            signal = step(frame)
            if signal is not None:
                return None if signal is BREAK else signal
        return None
    return run_repeat


def _macro_break(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    if item["Break"] is not None:
        raise env.syntax_error("Break cannot have a value", item)
    return lambda frame: BREAK


def _macro_continue(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    if item["Continue"] is not None:
        raise env.syntax_error("Continue cannot have a value", item)
    return lambda frame: CONTINUE


def _macro_match(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    cases = item["Match"]
    if not isinstance(cases, Mapping):
        raise env.syntax_error("Match must be a mapping of cases", item)
    compiled = [(compile_data(k, env), compile_block(v, env)) for k, v in cases.items()]
    value = compile_data(item["Value"], env)
    default = compile_block(item.get("Default"), env)

    def run_match(frame: Any) -> Any:
        actual = value(frame.context)
        for case, block in compiled:
            if case(frame.context) == actual:
                return block(frame)
        return default(frame)
    return run_match


def _macro_switch(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    cases = item["Switch"]
    if not isinstance(cases, Mapping):
        raise env.syntax_error("Switch must be a mapping of conditions", item)
    compiled = [(compile_data(k, env), compile_block(v, env)) for k, v in cases.items()]
    default = compile_block(item.get("Default"), env)

    def run_switch(frame: Any) -> Any:
        matched = False
        for condition, block in compiled:
            if condition(frame.context):
                matched = True
                signal = block(frame)
                if signal is not None:
                    return signal
        if not matched:
            return default(frame)
        return None
    return run_switch


def _macro_do(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    return compile_block(item["Do"], env)


def _macro_parallel(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    branches_data = item["Parallel"]
    if not isinstance(branches_data, list):
        branches_data = [branches_data]
    branches = [compile_block(b, env) for b in branches_data]
    limit = compile_data(item.get("Limit"), env)

    def run_parallel(frame: Any) -> Any:
        n = limit(frame.context)
        signals = frame.executor.run_parallel(
            [(lambda b=b: b(frame)) for b in branches], int(n) if n else len(branches))
        for signal in signals:
            if signal is RETURN:
                return RETURN
        return None
    return run_parallel


def _catch_clauses(data: Any, env: CompileEnv) -> list[tuple[tuple[str, ...] | None, str | None,
                                                             Statement]]:
    if data is None:
        return []
    items = data if isinstance(data, list) else [data]
    clauses = []
    for clause in items:
        if not isinstance(clause, Mapping) or not set(clause) <= {"With", "As", "Do"}:
            raise env.syntax_error("Catch items take only With, As and Do", clause)
        with_ = clause.get("With")
        names: tuple[str, ...] | None = None
        if with_ is not None:
            raw = with_ if isinstance(with_, list) else [with_]
            names = tuple(_resolve_exception_name(str(n), env) for n in raw)
        alias = clause.get("As")
        clauses.append((names, None if alias is None else "$" + str(alias).lstrip("$"),
                        compile_block(clause.get("Do"), env)))
    return clauses


def _resolve_exception_name(name: str, env: CompileEnv) -> str:
    try:
        return str(env.resolver.resolve(name))
    except (KeyError, DslSyntaxError):
        return name


def _macro_try(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    body = compile_block(item["Try"], env)
    clauses = _catch_clauses(item.get("Catch"), env)
    otherwise = compile_block(item.get("Else"), env) if "Else" in item else None
    final = compile_block(item.get("Finally"), env) if "Finally" in item else None

    def run_try(frame: Any) -> Any:
        signal = None
        try:
            try:
                signal = body(frame)
            except LimitExceeded:
                raise
            except Exception as exc:
                names = murano_names(exc)
                for wanted, alias, handler in clauses:
                    matched = names[0] if wanted is None else next(
                        (n for n in names if n in wanted), None)
                    if matched is None:
                        continue
                    exc.mpl_pending = None  # type: ignore[attr-defined]
                    if alias is not None:
                        frame.context[alias] = frame.executor.exception_object(exc, matched)
                    frame.handling.append(exc)
                    try:
                        return handler(frame)
                    finally:
                        frame.handling.pop()
                raise
            if otherwise is not None and signal is None:
                signal = otherwise(frame)
            return signal
        finally:
            if final is not None:
                final_signal = final(frame)
                if final_signal is not None:
                    signal = final_signal
    return run_try


def _macro_rethrow(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    def run_rethrow(frame: Any) -> Any:
        if not frame.handling:
            raise DslInvalidOperationError("Rethrow can be used only inside Catch")
        raise frame.handling[-1]
    return run_rethrow


def _macro_throw(item: Mapping[str, Any], env: CompileEnv) -> Statement:
    raw = item["Throw"]
    names_data = raw if isinstance(raw, list) else [raw]
    names = compile_data(names_data, env)
    message = compile_data(item.get("Message"), env)
    extra = compile_data(item.get("Extra"), env)
    cause = compile_data(item.get("Cause"), env)

    def run_throw(frame: Any) -> Any:
        resolved = []
        for name in names(frame.context):
            text = str(getattr(name, "name", name))
            resolved.append(_resolve_exception_name(text, env))
        cause_value = cause(frame.context)
        native = frame.executor.native_exception(cause_value) if cause_value is not None else None
        extra_value = extra(frame.context)
        raise MuranoPlException(resolved, message(frame.context),
                                extra=ex.thaw(extra_value) if extra_value else None,
                                cause=native)
    return run_throw


# ----------------------------------------------------------------- assignments

class _Step:
    __slots__ = ("name", "index")

    def __init__(self, name: str | None = None, index: Any = None):
        self.name = name
        self.index = index


def _lhs_chain(node: Any, env: CompileEnv, key: YaqlExpr) -> tuple[Any, list[_Step]]:
    steps: list[_Step] = []
    while True:
        if isinstance(node, ex.DotProperty):
            steps.append(_Step(name=node.prop))
            node = node.left
        elif isinstance(node, yx.IndexExpression) and len(node.args) == 2:
            steps.append(_Step(index=ex.Evaluator(node.args[1], env.engine, str(node.args[1]))))
            node = node.args[0]
        elif isinstance(node, yx.BinaryOperator) and node.operator == "." and isinstance(
                node.args[1], yx.KeywordConstant):
            steps.append(_Step(name=node.args[1].value))
            node = node.args[0]
        else:
            break
    steps.reverse()
    return node, steps


def _assignment(key: YaqlExpr, value_data: Any, env: CompileEnv) -> Statement:
    root, steps = _lhs_chain(key.parsed, env, key)
    value = compile_data(value_data, env)
    if isinstance(root, ex.FastVar):
        var = root.name
        if not steps:
            if var in ("$1", "$this"):
                def assign_reserved(frame: Any) -> None:
                    raise InvalidLhsTargetError(key.source)
                return assign_reserved

            def assign_var(frame: Any) -> None:
                frame.context[var] = value(frame.context)
            return assign_var

        def assign_var_path(frame: Any) -> None:
            context = frame.context
            current = context.get_data(var, _MISSING)
            updated = _put(current, steps, value(context), frame)
            if updated is not current:
                if var in ("$1", "$this"):
                    raise InvalidLhsTargetError(key.source)
                context[var] = updated
        return assign_var_path
    if not steps:
        def assign_invalid(frame: Any) -> None:
            raise InvalidLhsTargetError(key.source)
        return assign_invalid
    root_eval = ex.Evaluator(root, env.engine, str(root))

    def assign_path(frame: Any) -> None:
        target = root_eval(frame.context)
        updated = _put(target, steps, value(frame.context), frame)
        if updated is not target:
            raise InvalidLhsTargetError(key.source)
    return assign_path


_MISSING = object()


def _put(container: Any, steps: list[_Step], value: Any, frame: Any) -> Any:
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    runtime = frame.executor.member_access
    if step.name is not None and runtime.is_handled(container):
        current = runtime.read_for_update(container, step.name, frame.context) if rest else None
        runtime.write(container, step.name, _put(current, rest, value, frame), frame.context)
        return container
    key = step.name if step.name is not None else step.index(frame.context)
    if container is _MISSING or container is None:
        container = FrozenDict({})
    if isinstance(container, Mapping):
        current = container.get(key, _MISSING) if rest else None
        if current is _MISSING:
            current = FrozenDict({})
        data = dict(container)
        data[key] = _put(current, rest, value, frame)
        return FrozenDict(data)
    if isinstance(container, tuple | list) and isinstance(key, int) and not isinstance(key, bool):
        items = list(container)
        items[key] = _put(items[key], rest, value, frame)
        return tuple(items)
    raise InvalidLhsTargetError(f"cannot set {key!r} on {type(container).__name__}")


def method_level_signal_error(signal: Any) -> DslInvalidOperationError:
    word = "Break" if signal is BREAK else "Continue"
    return DslInvalidOperationError(f"{word} cannot be used on method level")


__all__ = ["BREAK", "CONTINUE", "RETURN", "CompileEnv", "compile_block", "compile_data",
           "method_level_signal_error", "SourceMap"]
