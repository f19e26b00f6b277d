"""YAML class files to Python data that remembers where each piece came from.

Only a :class:`yaml.SafeLoader` subclass is used (unsafe tags such as
``!!python/object`` are refused, CVE-2016-4972). Two additions, as in Murano:

* every mapping becomes a :class:`SourceMap` (a ``dict`` with ``.location``);
* a plain (unquoted) scalar that YAML did not resolve to a number, bool, null
  or date, that is not made only of letters, digits, ``_``, dots and spaces,
  and that parses as yaql becomes a :class:`YaqlExpr`; ``!yaql`` forces one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from fornace.dsl.errors import DslSyntaxError, Location

_PLAIN_WORDS = re.compile(r"^[\s\w\d.]*$")


class SourceMap(dict):  # type: ignore[type-arg]
    """A mapping read from a class file; ``location`` is where it starts."""

    location: Location | None = None


class YaqlExpr:
    """A yaql expression found in a class file; ``parsed`` is filled by the parser given."""

    __slots__ = ("source", "location", "parsed")

    def __init__(self, source: str, location: Location | None = None, parsed: Any = None):
        self.source = source
        self.location = location
        self.parsed = parsed

    def __repr__(self) -> str:
        return f"YaqlExpr({self.source!r})"

    def __str__(self) -> str:
        return self.source

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YaqlExpr) and other.source == self.source

    def __hash__(self) -> int:
        return hash(("yaql", self.source))


Parser = Callable[[str], Any]


_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _make_loader(file_name: str, parse: Parser) -> type[yaml.SafeLoader]:
    class MuranoPlLoader(_BASE_LOADER):  # type: ignore[valid-type,misc]
        pass

    def location(node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(file_name, mark.line + 1, mark.column + 1)

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> SourceMap:
        loader.flatten_mapping(node)
        result = SourceMap()
        result.location = location(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError as exc:
                raise DslSyntaxError(
                    f"{location(key_node)}: unhashable mapping key"
                ) from exc
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    def try_expression(node: yaml.ScalarNode, value: str) -> Any:
        try:
            parsed = parse(value)
        except Exception:  # noqa: BLE001 - not yaql: it stays a string
            return value
        return YaqlExpr(value, location(node), parsed)

    def construct_str(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        value = loader.construct_scalar(node)
        if not node.style and isinstance(value, str) and not _PLAIN_WORDS.match(value):
            return try_expression(node, value)
        return value

    def construct_yaql(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> YaqlExpr:
        value = str(loader.construct_scalar(node))
        try:
            return YaqlExpr(value, location(node), parse(value))
        except Exception as exc:
            raise DslSyntaxError(f"{location(node)}: invalid yaql expression {value!r}: {exc}") from exc

    MuranoPlLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    MuranoPlLoader.add_constructor("tag:yaml.org,2002:str", construct_str)
    MuranoPlLoader.add_constructor("!yaql", construct_yaql)
    return MuranoPlLoader


def load_documents(text: str, file_name: str, parse: Parser) -> list[Any]:
    """All YAML documents of one class file (several classes may share a file)."""
    loader_cls = _make_loader(file_name, parse)
    try:
        return [doc for doc in yaml.load_all(text, Loader=loader_cls) if doc is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file_name}:{mark.line + 1}:{mark.column + 1}" if mark else file_name
        raise DslSyntaxError(
            f"{where}: {exc.problem or exc.context}",
            hint="class files are plain YAML; tags such as !!python/object are refused",
        ) from exc
    except yaml.YAMLError as exc:
        raise DslSyntaxError(f"{file_name}: {exc}") from exc


def location_of(data: Any) -> Location | None:
    if isinstance(data, SourceMap):
        return data.location
    if isinstance(data, YaqlExpr):
        return data.location
    return None
