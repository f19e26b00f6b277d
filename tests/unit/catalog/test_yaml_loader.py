"""The package YAML loader: !yaql as data, every other explicit tag refused, alias budget."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fornace.catalog.yaml_loader import (
    PackageYamlError,
    YaqlExpression,
    dump_yaml,
    load_yaml,
    load_yaml_documents,
)


def test_yaql_tag_is_kept_as_an_expression() -> None:
    document = load_yaml("a: !yaql $.x + 1\nb: $.plain\nc: !yaql 'quoted'\n")
    assert document == {"a": "$.x + 1", "b": "$.plain", "c": "quoted"}
    assert isinstance(document["a"], YaqlExpression)
    assert not isinstance(document["b"], YaqlExpression)


def test_yaql_tag_on_a_mapping_key() -> None:
    document = load_yaml("- !yaql $x: !yaql $.y\n")
    key = next(iter(document[0]))
    assert isinstance(key, YaqlExpression) and key == "$x"


@pytest.mark.parametrize("text", [
    "!!python/object/apply:os.system ['id']",
    "!!python/object/new:subprocess.Popen [['id']]",
    "a: !!python/name:os.system",
    "a: !!python/tuple [1, 2]",
    "a: !custom {x: 1}",
    "a: !yaql {x: 1}",
])
def test_dangerous_or_unknown_tags_are_refused(text: str) -> None:
    with pytest.raises(PackageYamlError):
        load_yaml(text)


def test_standard_tags_still_work() -> None:
    assert load_yaml("a: !!str 12\nb: !!int '7'\nc: !!binary aGk=\n") == {
        "a": "12", "b": 7, "c": b"hi"}


def test_alias_budget_stops_billion_laughs() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 13):  # 12 levels x 9 aliases = 108
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(PackageYamlError, match="more than 100 YAML aliases"):
        load_yaml("\n".join(lines))
    assert load_yaml("a: &a 1\nb: *a\n") == {"a": 1, "b": 1}


def test_multi_document_streams_drop_empty_documents() -> None:
    assert load_yaml_documents("---\nName: A\n---\n---\nName: B\n") == [{"Name": "A"},
                                                                      {"Name": "B"}]


def test_syntax_errors_name_line_and_column() -> None:
    with pytest.raises(PackageYamlError,
                       match=r"did not find expected node content \(line 3, column 1\)"):
        load_yaml("a: 1\nb: [\n")


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                     st.text(min_size=1, max_size=20).map(YaqlExpression))
_trees = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)


@given(_trees, st.booleans())
def test_dump_then_load_round_trips(tree: object, quote: bool) -> None:
    loaded = load_yaml(dump_yaml(tree, quote_strings=quote))
    assert loaded == tree

    def same_kinds(a: object, b: object) -> None:
        assert isinstance(a, YaqlExpression) == isinstance(b, YaqlExpression)
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a:
                same_kinds(a[key], b[key])
        elif isinstance(a, list) and isinstance(b, list):
            for x, y in zip(a, b, strict=True):
                same_kinds(x, y)

    same_kinds(tree, loaded)
