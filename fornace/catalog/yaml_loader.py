"""The only way the catalog parses YAML from a package: a SafeLoader subclass.

MuranoPL class files and UI definitions mark expressions with the ``!yaql``
tag; it is kept as plain data (:class:`YaqlExpression`, a ``str`` subclass),
never evaluated here. Every other explicit tag (``!!python/object`` and
friends) is refused, as are documents that lean on many aliases (the
"billion laughs" shape), since the engine walks these trees.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from itertools import accumulate
from operator import sub
from typing import Any, Final

import yaml

YAQL_TAG: Final = "!yaql"
MAX_ALIASES: Final = 100
MAX_DEPTH: Final = 200
MAX_FLOW_COLLECTIONS: Final = 50_000


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
    """SafeLoader (libyaml when available) plus ``!yaql`` scalars, alias and depth budgets."""

    def construct_document(self, node: yaml.Node) -> Any:  # noqa: ANN401 - PyYAML API
        try:
            return _construct_tree(self, node)
        finally:
            self.constructed_objects: dict[Any, Any] = {}
            self.recursive_objects: dict[Any, Any] = {}
            self.state_generators: list[Any] = []
            self.deep_construct = False


_STR_TAG: Final = "tag:yaml.org,2002:str"
_MAP_TAG: Final = "tag:yaml.org,2002:map"
_SEQ_TAG: Final = "tag:yaml.org,2002:seq"
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_VALUE_TAG: Final = "tag:yaml.org,2002:value"


def _construct_tree(loader: PackageYamlLoader, root: yaml.Node) -> Any:  # noqa: ANN401
    """Build the document from composed nodes.

    Plain strings, mappings and sequences (nearly everything in a package) are
    built here directly, which is several times faster than PyYAML's generic
    constructor; other tags go through the loader's constructors (so bad values
    and refused tags fail as usual). A node met again is an alias: it is not
    expanded again, only counted against :data:`MAX_ALIASES`.
    """
    memo: dict[int, Any] = {}
    aliases = 0

    def build(node: yaml.Node, depth: int) -> Any:  # noqa: ANN401
        nonlocal aliases
        key = id(node)
        if key in memo:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise PackageYamlError(
                    f"more than {MAX_ALIASES} YAML aliases (line {node.start_mark.line + 1})")
            return memo[key]
        if depth > MAX_DEPTH:
            raise PackageYamlError(
                f"nested deeper than {MAX_DEPTH} levels (line {node.start_mark.line + 1})")
        tag = node.tag
        value: Any
        if tag == _STR_TAG:
            value = node.value
        elif tag == _SEQ_TAG:
            value = []
            memo[key] = value
            value.extend(build(item, depth + 1) for item in node.value)
            return value
        elif tag == _MAP_TAG and not any(k.tag == _MERGE_TAG for k, _ in node.value):
            value = {}
            memo[key] = value
            for key_node, value_node in node.value:
                if key_node.tag == _VALUE_TAG:  # a plain "=" key, as SafeConstructor reads it
                    key_node.tag = _STR_TAG
                item_key = build(key_node, depth + 1)
                try:
                    hash(item_key)
                except TypeError:
                    raise PackageYamlError(
                        f"found unhashable key (line {key_node.start_mark.line + 1})") from None
                value[item_key] = build(value_node, depth + 1)
            return value
        elif tag == YAQL_TAG and isinstance(node, yaml.ScalarNode):
            value = YaqlExpression(node.value)
        else:
            value = loader.construct_object(node, deep=True)
        memo[key] = value
        return value

    return build(root, 0)


_NOT_FLOW = re.compile(r"[^\[\]{}]+")
_FLOW_SIGNS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
# libyaml composes recursively in C; this many levels is known to be safe.
_SAFE_NESTING_BOUND: Final = 2000


def _flow_depth_exceeds(text: str, limit: int) -> bool:
    """Whether flow collections nest deeper than ``limit`` (brackets in strings count too).

    The depth is the running count of open brackets, floored at zero; it is
    computed in chunks so a deep text is refused after reading its start.
    """
    brackets = _NOT_FLOW.sub("", text).encode()
    openers = brackets.count(b"[") + brackets.count(b"{")
    if openers <= limit:
        return False
    if max(openers, len(brackets) - openers) > MAX_FLOW_COLLECTIONS:
        raise PackageYamlError(f"more than {MAX_FLOW_COLLECTIONS} flow collections ([...] or "
                               "{...})")
    signs = array("b", brackets.translate(_FLOW_SIGNS))
    total, lowest = 0, 0
    for start in range(0, len(signs), 8192):
        sums = list(accumulate(signs[start:start + 8192], initial=total))[1:]
        lows = list(accumulate(sums, min, initial=lowest))[1:]
        if max(map(sub, sums, lows)) > limit:
            return True
        total, lowest = sums[-1], lows[-1]
    return False


def check_nesting(text: str) -> None:
    """Refuse deep nesting before libyaml sees it.

    Deep flow nesting makes libyaml's scanner quadratic and deep nesting of any
    kind overflows the C stack of its composer (the process dies), so this
    runs before parsing: brackets are counted exactly; block nesting is bounded
    by the indicator characters, and only a text that could be deep is parsed
    once more as events to measure it.
    """
    if _flow_depth_exceeds(text, MAX_DEPTH):
        raise PackageYamlError(f"flow collections nested deeper than {MAX_DEPTH} levels")
    bound = sum(text.count(c) for c in "-?:[{\n")
    if bound <= _SAFE_NESTING_BOUND:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoaderBase):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise PackageYamlError(f"nested deeper than {MAX_DEPTH} levels "
                                       f"(line {event.start_mark.line + 1})")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


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


def _as_text(text: str | bytes) -> str:
    if isinstance(text, str):
        return text
    try:
        return text.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageYamlError("not UTF-8 text") from exc


def load_yaml(text: str | bytes) -> Any:  # noqa: ANN401 - YAML enters here
    """One document; raises :class:`PackageYamlError` with a readable message."""
    documents = load_yaml_documents(text, keep_empty=True)
    if len(documents) > 1:
        raise PackageYamlError("expected a single document but found several")
    return documents[0] if documents else None


def load_yaml_documents(text: str | bytes, *, keep_empty: bool = False) -> list[Any]:
    """All documents of a stream (empty ones dropped unless ``keep_empty``)."""
    source = _as_text(text)
    try:
        check_nesting(source)
        docs: Iterator[Any] = yaml.load_all(source, Loader=PackageYamlLoader)  # noqa: S506
        return [doc for doc in docs if keep_empty or doc is not None]
    except PackageYamlError:
        raise
    except yaml.YAMLError as exc:
        raise PackageYamlError(_describe(exc)) from exc
    except RecursionError:
        raise PackageYamlError(f"nested deeper than {MAX_DEPTH} levels") from None


def dump_yaml(data: Any, *, quote_strings: bool = False) -> str:  # noqa: ANN401
    """YAML text; ``quote_strings`` double-quotes every string, as Murano's HOT translator."""
    style = '"' if quote_strings else None
    return str(yaml.dump(
        data, Dumper=PackageYamlDumper, default_style=style, sort_keys=False,
        allow_unicode=False, default_flow_style=False,
    ))
