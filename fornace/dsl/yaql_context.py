"""yaql engines and root contexts for MuranoPL runtimes.

Two flavours, as in Murano: runtime <= 1.1 uses yaql's *legacy* library with
``yaql.iterableDicts``; 1.2+ the standard one. Both parsers get Murano's
operators (binary and prefix ``:``, binary ``is``). The root context is built
from an explicit list (no delegates, no yaqlized Python objects) plus the
functions the interpreter registers; :func:`root_function_names` lets a test
pin that exact set.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import yaql
from yaql import legacy
from yaql.language import conventions, factory, specs, utils

from fornace.dsl.expressions import freeze, rewrite

Runtime = tuple[int, int]
CONVENTION = conventions.CamelCaseConvention()


@dataclass(frozen=True)
class Limits:
    """Sandbox limits of one execution; each error names the setting to change."""

    iterators: int = 2000          # dsl.iterators_limit (Murano's [murano] dsl_iterators_limit)
    memory_quota: int = 512 * 1024  # dsl.memory_quota (bytes per yaql result, Murano's quota)
    recursion_depth: int = 256     # dsl.recursion_limit (nested MuranoPL method calls)
    execution_time: float = 600.0  # dsl.execution_time_limit (seconds per execution)
    max_range: int = 100_000       # dsl.max_range (items a range()/sequence may produce)
    loop_iterations: int = 1_000_000  # dsl.loop_limit (While/For/Repeat iterations per loop)


def is_legacy(runtime: Runtime) -> bool:
    return runtime <= (1, 1)


@functools.lru_cache(maxsize=16)
def create_engine(legacy_mode: bool, limits: Limits) -> Any:
    engine_factory = factory.YaqlFactory()
    engine_factory.insert_operator(
        ">", True, "is", factory.OperatorType.BINARY_LEFT_ASSOCIATIVE, False)
    engine_factory.insert_operator(
        None, True, ":", factory.OperatorType.BINARY_LEFT_ASSOCIATIVE, True)
    engine_factory.insert_operator(
        ":", True, ":", factory.OperatorType.PREFIX_UNARY, False)
    engine_factory.operators.insert(0, ())
    options = {
        "yaql.limitIterators": limits.iterators,
        "yaql.memoryQuota": limits.memory_quota,
        "yaql.convertSetsToLists": True,
        "yaql.convertTuplesToLists": True,
        "fornace.maxRange": limits.max_range,
    }
    if legacy_mode:
        options["yaql.iterableDicts"] = True
    return engine_factory.create(options=options)


_PARSE_CACHE: dict[tuple[int, str], Any] = {}


def parse(source: str, engine: Any, legacy_mode: bool) -> Any:
    """Parse and rewrite once; the same tree is reused by every evaluation."""
    key = (id(engine), source)
    node = _PARSE_CACHE.get(key)
    if node is None:
        statement = engine(source)
        node = rewrite(statement.expression, legacy_mode)
        _PARSE_CACHE[key] = node
    return node


def parser_for(runtime: Runtime, limits: Limits | None = None) -> Callable[[str], Any]:
    legacy_mode = is_legacy(runtime)
    engine = create_engine(legacy_mode, limits or Limits())
    return lambda source: parse(source, engine, legacy_mode)


@specs.name("#finalize")
def _finalize(obj: Any, engine: Any) -> Any:
    return freeze(obj, engine)


def create_base_context(legacy_mode: bool) -> Any:
    """yaql's library, without delegates or yaqlized objects."""
    if legacy_mode:
        return legacy.create_context(
            convention=CONVENTION, finalizer=_finalize, delegates=False, yaqlized=False)
    return yaql.create_context(
        convention=CONVENTION, finalizer=_finalize, delegates=False, yaqlized=False)


def register_all(context: Any, functions: Iterable[Callable[..., Any]]) -> None:
    for fn in functions:
        context.register_function(fn)


def root_function_names(context: Any) -> set[str]:
    """Every function name visible from ``context`` (walks the parent chain)."""
    names: set[str] = set()
    ctx = context
    while ctx is not None:
        names.update(getattr(ctx, "_functions", {}).keys())
        ctx = ctx.parent
    return names


NO_VALUE = utils.NO_VALUE
