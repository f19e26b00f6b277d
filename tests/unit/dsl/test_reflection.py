from __future__ import annotations

import pytest

from fornace.dsl.testing import Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("refl.Reflect"))


def test_type_info(runner):
    assert runner.testTypeInfo() == {
        "name": "refl.Reflect", "version": "0.0.0", "major": 0, "minor": 0, "patch": 0,
        "ancestors": ["io.murano.Object"], "properties": ["prop", "shared"],
        "methods": ["getAttr", "join", "setAttr"], "package": "tests", "usage": "Class"}


def test_method_and_argument_info(runner):
    assert runner.testMethodInfo() == [["first", "second"], True, False, "refl.Reflect", "join"]


def test_property_info(runner):
    assert runner.testPropertyInfo() == ["prop", True, "InOut", "refl.Reflect"]


def test_get_and_set_values_instance_and_static(runner):
    assert runner.testGetSet() == [["instance", "static"], ["changed", "changedStatic"],
                                   "changedStatic"]


def test_method_invoke(runner):
    assert runner.testInvoke() == "ab"


def test_new_from_reflected_type(runner):
    assert runner.testCreateFromType() == "made"


def test_typeinfo_of_type_reference(runner):
    assert runner.testTypeinfoOfType() is True
