"""The sandbox: what package code may reach, and the limits it runs under.

Allowlist stance. Only data (str, int, float, bool, None, tuples, FrozenDict,
frozensets), MuranoPL objects and type references enter yaql; the root
context is built from an explicit function list (no delegates, no yaqlized
Python objects); ``.`` on MuranoPL values goes through the runtime's member
access (declared properties and methods only). The side doors are closed
here:

* :func:`safe_format` replaces ``str.format``: fields are positional or
  keyword names with ``[key]`` lookups into data only; any ``.attr`` in a
  field (the ``'{0.__class__}'`` walk of CVE-2024-29156) is refused;
* generators that could run forever or allocate without bound (``range``,
  ``sequence``, ``repeat``, ``cycle``, ``*`` on strings and lists, ``pow``)
  are replaced by bounded ones raising :class:`LimitExceeded`.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from yaql.language import specs, utils, yaqltypes

from fornace.dsl.errors import DslInvalidOperationError, LimitExceeded

_SAFE_SCALARS = (str, int, float, bool, type(None))


class SandboxViolation(DslInvalidOperationError):
    murano_name = "murano.dsl.exceptions.DslInvalidOperationError"


class _SafeFormatter(string.Formatter):
    def __init__(self, missing: str | None = None):
        super().__init__()
        self.missing = missing

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        first, rest = _split_field(field_name)
        obj = self.get_value(first, args, kwargs)
        for key in rest:
            if isinstance(obj, Mapping):
                obj = obj[key] if key in obj else obj[int(key)] if key.isdigit() else obj[key]
            elif isinstance(obj, tuple | list) and key.lstrip("-").isdigit():
                obj = obj[int(key)]
            else:
                raise SandboxViolation(f"format field {field_name!r} is not allowed")
        return obj, first

    def get_value(self, key: Any, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int):
            return args[key]
        if key not in kwargs and self.missing is not None:
            return self.missing
        return kwargs[key]

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        return super().convert_field(_printable(value), conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        return format(_printable(value), format_spec)


def _split_field(field_name: str) -> tuple[Any, list[str]]:
    """``0[a][1]`` -> (0, ['a', '1']); any ``.`` means attribute access: refused."""
    head, sep, tail = field_name.partition("[")
    if "." in head or "." in tail.replace("].", "]!") and "." in tail.split("]")[-1]:
        raise SandboxViolation(f"format field {field_name!r} is not allowed (attribute access)")
    if any(part.startswith(".") for part in tail.split("]")):
        raise SandboxViolation(f"format field {field_name!r} is not allowed (attribute access)")
    keys = [part for part in (sep + tail).replace("]", "").split("[") if part]
    first: Any = int(head) if head.isdigit() else head
    return first, keys


def _printable(value: Any) -> Any:
    if isinstance(value, _SAFE_SCALARS):
        return value
    if isinstance(value, Mapping):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        return [_printable(v) for v in value]
    return str(value)


def safe_format(template: str, args: Sequence[Any], kwargs: Mapping[str, Any],
                missing: str | None = None) -> str:
    try:
        return _SafeFormatter(missing).vformat(template, tuple(args), dict(kwargs))
    except (IndexError, KeyError, ValueError) as exc:
        raise type(exc)(f"cannot format {template!r}: {exc}") from None


def _limits(engine: Any) -> tuple[int, int]:
    options = engine.options
    return (int(options.get("fornace.maxRange", 100_000)),
            int(options.get("yaql.memoryQuota", 512 * 1024)))


def _bounded(iterator: Iterator[Any], limit: int) -> Iterator[Any]:
    for i, item in enumerate(iterator):
        if i >= limit:
            raise LimitExceeded("range size", limit, "dsl.max_range")
        yield item


@specs.parameter("stop", int)
@specs.inject("engine", yaqltypes.Engine())
@specs.name("range")
def bounded_range1(engine: Any, stop: int) -> Any:
    limit = _limits(engine)[0]
    if stop > limit:
        raise LimitExceeded("range size", limit, "dsl.max_range")
    return iter(range(stop))


@specs.parameter("start", int)
@specs.parameter("stop", int)
@specs.parameter("step", int)
@specs.inject("engine", yaqltypes.Engine())
@specs.name("range")
def bounded_range(engine: Any, start: int, stop: int, step: int = 1) -> Any:
    limit = _limits(engine)[0]
    r = range(start, stop, step)
    if len(r) > limit:
        raise LimitExceeded("range size", limit, "dsl.max_range")
    return iter(r)


@specs.parameter("start", int)
@specs.parameter("step", int)
@specs.inject("engine", yaqltypes.Engine())
@specs.name("sequence")
def bounded_sequence(engine: Any, start: int = 0, step: int = 1) -> Any:
    def generate() -> Iterator[int]:
        value = start
        while True:
            yield value
            value += step
    return _bounded(generate(), _limits(engine)[0])


@specs.parameter("value", nullable=True)
@specs.parameter("times", int)
@specs.inject("engine", yaqltypes.Engine())
@specs.name("repeat")
@specs.method
def bounded_repeat(engine: Any, value: Any, times: int = -1) -> Any:
    limit = _limits(engine)[0]
    if times < 0 or times > limit:
        raise LimitExceeded("range size", limit, "dsl.max_range")
    return iter([value] * times)


@specs.parameter("collection", yaqltypes.Iterable())
@specs.inject("engine", yaqltypes.Engine())
@specs.name("cycle")
@specs.method
def bounded_cycle(engine: Any, collection: Any) -> Any:
    items = list(utils.limit_iterable(collection, engine))

    def generate() -> Iterator[Any]:
        while items:
            yield from items
    return _bounded(generate(), _limits(engine)[0])


def _check_size(engine: Any, unit: int, times: int) -> None:
    quota = _limits(engine)[1]
    if quota > 0 and unit * max(times, 0) > quota:
        raise LimitExceeded("memory", quota, "dsl.memory_quota")


@specs.parameter("left", yaqltypes.String())
@specs.parameter("right", int)
@specs.inject("engine", yaqltypes.Engine())
@specs.name("#operator_*")
def str_times(engine: Any, left: str, right: int) -> str:
    _check_size(engine, len(left), right)
    return left * right


@specs.parameter("left", int)
@specs.parameter("right", yaqltypes.String())
@specs.inject("engine", yaqltypes.Engine())
@specs.name("#operator_*")
def times_str(engine: Any, left: int, right: str) -> str:
    _check_size(engine, len(right), left)
    return right * left


@specs.parameter("left", yaqltypes.Sequence())
@specs.parameter("right", int)
@specs.inject("engine", yaqltypes.Engine())
@specs.name("#operator_*")
def seq_times(engine: Any, left: Any, right: int) -> Any:
    _check_size(engine, 8 * len(left), right)
    return tuple(left) * right


@specs.parameter("left", int)
@specs.parameter("right", yaqltypes.Sequence())
@specs.inject("engine", yaqltypes.Engine())
@specs.name("#operator_*")
def times_seq(engine: Any, left: int, right: Any) -> Any:
    _check_size(engine, 8 * len(right), left)
    return tuple(right) * left


@specs.parameter("base", int)
@specs.parameter("exponent", int)
@specs.parameter("modulo", int, nullable=True)
@specs.inject("engine", yaqltypes.Engine())
@specs.name("pow")
def bounded_pow(engine: Any, base: int, exponent: int, modulo: int | None = None) -> Any:
    if modulo is not None:
        return pow(base, exponent, modulo)
    if exponent > 0 and abs(base) > 1 and exponent * max(abs(base).bit_length(), 1) > 8 * \
            _limits(engine)[1]:
        raise LimitExceeded("memory", _limits(engine)[1], "dsl.memory_quota")
    return base ** exponent


LIMITED_FUNCTIONS = [bounded_range1, bounded_range, bounded_sequence, bounded_repeat,
                     bounded_cycle, str_times, times_str, seq_times, times_seq, bounded_pow]


def register_limited_functions(context: Any) -> None:
    for fn in LIMITED_FUNCTIONS:
        context.register_function(fn)
