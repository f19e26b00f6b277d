from __future__ import annotations

import pytest

from fornace.dsl.testing import Object


@pytest.fixture
def target():
    return Object("eng.Target", name="the target")


@pytest.fixture
def runner(make_runner, target):
    return make_runner(Object("eng.Functions", target=target))


def test_string_functions_at_runtime_1_0(runner):
    assert runner.testStrings() == [
        "a-b", ["a", "b"], 3, "second", "1+2=3", "HeLLo", "abc", "ABC", True, False, "pad",
        "cde", "true", "null", 0]


def test_collection_functions(runner):
    assert runner.testCollections() == [
        ["a"], [1], [1, 2, 3], "dflt", [2, 3], 6, 5, "none"]


def test_base64(runner):
    encoded, decoded = runner.testBase64()
    assert decoded == "данные"
    assert encoded == "0LTQsNC90L3Ri9C1"


def test_random_name(runner):
    first, second = runner.testRandomName()
    assert first != second
    assert len(first) > 12 and first.isalnum()


def test_pselect(runner):
    assert runner.testPselect() == [10, 20, 30]


def test_bind(runner):
    assert runner.testBind() == {"a": 1, "b": ["two", "ok 1/two/None"], 1: "keep"}


def test_patch(runner):
    assert runner.testPatch() == {"foo": "bar", "baz": [42]}
    assert runner.testPatchBadPointer() == {"foo": "bar"}


def test_id_and_type_function_and_method_forms(runner):
    assert runner.testIdAndType() == [True, "eng.Functions", "eng.Functions"]


def test_is_operator(runner):
    assert runner.testIs() == [True, True, True, False, False, True, True]


def test_object_id_string_assigned_to_class_property(runner, target):
    assert runner.testIdStringForObjectProperty(target.id) == "the target"


def test_name_and_metadata(runner):
    assert runner.testNameMetadata() == ["namedTarget", None, None]
