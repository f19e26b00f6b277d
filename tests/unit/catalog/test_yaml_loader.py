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


def test_loader_agrees_with_safe_load_on_every_sample_file() -> None:
    import yaml
    from catalog_data import SAMPLES

    checked = 0
    for path in sorted(SAMPLES.rglob("*")):
        if path.suffix in (".yaml", ".template", ".lst") and b"!yaql" not in path.read_bytes():
            assert load_yaml_documents(path.read_bytes()) == [
                d for d in yaml.safe_load_all(path.read_bytes()) if d is not None], path
            checked += 1
    assert checked > 20


def test_merge_keys_sets_timestamps_and_equals_keys() -> None:
    import datetime

    text = ("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n"
            "when: 2015-10-15\nns: {=: com.example}\nn: ~\nf: 1.5\n")
    assert load_yaml(text) == {"base": {"x": 1, "y": 2}, "derived": {"x": 1, "y": 3},
                               "when": datetime.date(2015, 10, 15),
                               "ns": {"=": "com.example"}, "n": None, "f": 1.5}


@pytest.mark.parametrize(("text", "message"), [
    ("a: " + "[" * 300 + "]" * 300, "flow collections nested deeper than 200 levels"),
    ("# " + "]" * 1000 + "\na: " + "[" * 300 + "]" * 300,
     "flow collections nested deeper than 200 levels"),
    ("a:\n" + "- " * 5000 + "x\n", "nested deeper than 200 levels (line 2)"),
    ("".join("  " * i + f"k{i}:\n" for i in range(250)) + "  " * 250 + "x\n",
     "nested deeper than 200 levels (line 201)"),
    ("a: [" + "[], " * 50_001 + "]", "more than 50000 flow collections"),
    ("a: 1\n---\nb: 2\n", "expected a single document but found several"),
    ("? [a]\n: b\n", "found unhashable key (line 1)"),
])
def test_hostile_shapes_are_refused(text: str, message: str) -> None:
    with pytest.raises(PackageYamlError) as caught:
        load_yaml(text)
    assert str(caught.value).startswith(message)


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert load_yaml("a: " + "[" * 199 + "1" + "]" * 199) is not None
    assert load_yaml(b"\xef\xbb\xbfa: 1") == {"a": 1}
    with pytest.raises(PackageYamlError, match="not UTF-8 text"):
        load_yaml(b"a: \xff")
