from __future__ import annotations

import pytest

from fornace.dsl.testing import DslSyntaxError, Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("mt.Leaf"))


def test_class_meta_merge(runner):
    # own One(9) hides Middle's One(5); Many from every level; Local only where declared
    assert sorted(runner.testClassMeta()) == sorted([
        ["mt.One", 9], ["mt.Many", 4], ["mt.Many", 100]])


def test_method_meta_merge(runner):
    assert sorted(runner.testMethodMeta()) == sorted([
        ["mt.Many", 10], ["mt.One", 20], ["mt.Many", 1]])


def test_argument_meta(runner):
    assert runner.testArgumentMeta() == [7, 8]


def test_property_meta_overridden_and_inherited(runner):
    assert sorted(runner.testPropertyMeta()) == [1, 2]


def test_meta_properties_holding_objects(runner):
    assert runner.testObjectsInMeta() == [1, 2]


def test_empty_package_meta(runner):
    assert runner.testPackageMeta() == []


def test_meta_class_applies_is_enforced(make_runner):
    runner = make_runner(Object("mt.Leaf"))
    from fornace.dsl.reflection import class_meta
    with pytest.raises(DslSyntaxError, match="cannot be applied to Type"):
        class_meta(runner.executor, runner.executor.load_class("mt.WrongApplies"))
    with pytest.raises(DslSyntaxError, match="given twice"):
        class_meta(runner.executor, runner.executor.load_class("mt.TwiceOne"))
