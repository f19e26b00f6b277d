"""The only way the catalog parses YAML from a package: a SafeLoader subclass.

MuranoPL class files and UI definitions mark expressions with the ``!yaql``
tag; it is kept as plain data (:class:`YaqlExpression`, a ``str`` subclass),
never evaluated here. Every other explicit tag (``!!python/object`` and
friends) is refused, as are documents that lean on many aliases (the
"billion laughs" shape), since the engine walks these trees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

import yaml

YAQL_TAG: Final = "!yaql"
MAX_ALIASES: Final = 100


class YaqlExpression(str):
    """A scalar written with the ``!yaql`` tag; the text is the expression."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"YaqlExpression({str.__repr__(self)})"


class PackageYamlError(ValueError):
    """YAML that cannot be read safely; the message says where."""


# libyaml's parser when PyYAML was built with it (wheels are): 5-10x faster than pure Python.
_SafeLoaderBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PackageYamlLoader(_SafeLoaderBase):  # type: ignore[misc,unused-ignore]
    """SafeLoader (libyaml when available) plus ``!yaql`` scalars and an alias budget."""

    def construct_document(self, node: yaml.Node) -> Any:  # noqa: ANN401 - PyYAML API
        _check_aliases(node)
        return super().construct_document(node)


def _check_aliases(root: yaml.Node) -> None:
    """Count re-used nodes (what aliases compose to) without expanding them."""
    seen: set[int] = set()
    aliases = 0
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise PackageYamlError(
                    f"more than {MAX_ALIASES} YAML aliases (line {node.start_mark.line + 1})")
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                todo.append(key)
                todo.append(value)


def _construct_yaql(loader: PackageYamlLoader, node: yaml.Node) -> YaqlExpression:
    if not isinstance(node, yaml.ScalarNode):
        raise PackageYamlError(f"!yaql must tag a scalar (line {node.start_mark.line + 1})")
    return YaqlExpression(loader.construct_scalar(node))


def _refuse_tag(loader: PackageYamlLoader, tag_suffix: str, node: yaml.Node) -> Any:  # noqa: ANN401
    raise PackageYamlError(
        f"unsupported YAML tag {node.tag!r} (line {node.start_mark.line + 1})"
    )


PackageYamlLoader.add_constructor(YAQL_TAG, _construct_yaql)
# Anything not registered (python/object, custom tags) lands here and is refused.
PackageYamlLoader.add_multi_constructor("", _refuse_tag)


class PackageYamlDumper(yaml.SafeDumper):  # type: ignore[misc,unused-ignore]
    """Writes :class:`YaqlExpression` back with its ``!yaql`` tag; never emits aliases."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ANN401 - PyYAML API
        return True


def _represent_yaql(dumper: PackageYamlDumper, data: YaqlExpression) -> yaml.Node:
    return dumper.represent_scalar(YAQL_TAG, str(data))


PackageYamlDumper.add_representer(YaqlExpression, _represent_yaql)


def _describe(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"not valid YAML: {problem} (line {mark.line + 1}, column {mark.column + 1})"
    return f"not valid YAML: {problem}"


def load_yaml(text: str | bytes) -> Any:  # noqa: ANN401 - YAML enters here
    """One document; raises :class:`PackageYamlError` with a readable message."""
    try:
        return yaml.load(text, Loader=PackageYamlLoader)  # noqa: S506 - safe subclass
    except PackageYamlError:
        raise
    except yaml.YAMLError as exc:
        raise PackageYamlError(_describe(exc)) from exc


def load_yaml_documents(text: str | bytes) -> list[Any]:
    """All non-empty documents of a multi-document stream."""
    try:
        docs: Iterator[Any] = yaml.load_all(text, Loader=PackageYamlLoader)  # noqa: S506
        return [doc for doc in docs if doc is not None]
    except PackageYamlError:
        raise
    except yaml.YAMLError as exc:
        raise PackageYamlError(_describe(exc)) from exc


def dump_yaml(data: Any, *, quote_strings: bool = False) -> str:  # noqa: ANN401
    """YAML text; ``quote_strings`` double-quotes every string, as Murano's HOT translator."""
    style = '"' if quote_strings else None
    return str(yaml.dump(
        data, Dumper=PackageYamlDumper, default_style=style, sort_keys=False,
        allow_unicode=False, default_flow_style=False,
    ))
