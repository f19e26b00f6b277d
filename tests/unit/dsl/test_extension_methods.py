from __future__ import annotations

import pytest

from fornace.dsl.testing import NoMatchingMethodException, Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("ext.UsesTools"))


def test_imported_extension_method(runner):
    assert runner.testImported() == [15, 8]


def test_nullable_receiver(runner):
    assert runner.testNullable() == [5, None]


def test_own_class_extension_wins_over_imported(runner):
    assert runner.testOwnWinsOverImport() == "fromOwnClass"


def test_explicit_static_call(runner):
    assert runner.testExplicitStatic() == "fromTools"


def test_extensions_on_strings_and_ints(runner):
    assert runner.testPrimitives() == ["HELLO!", 42]


def test_extension_not_callable_instance_style_with_extra_argument(runner):
    with pytest.raises(NoMatchingMethodException):
        runner.testInstanceStyleFails()


def test_own_extension_method(runner):
    assert runner.testOwnExtension() == 500


def test_receiver_not_matching_contract_is_not_dispatched(runner):
    with pytest.raises(Exception) as exc:
        runner.testWrongReceiverFallsBack()
    assert "plusOne" in str(exc.value)


def test_not_visible_without_import(make_runner):
    runner = make_runner(Object("ext.NoImport"))
    with pytest.raises(Exception) as exc:
        runner.testNotVisible()
    assert "scaled" in str(exc.value)


def test_python_extension_methods(make_runner):
    from fornace.dsl import default_registry, murano_method

    class ToolsPart:
        def __init__(self, this, **_):
            self.this = this

        @murano_method(extension=True)
        @staticmethod
        def squared(number):
            return number * number

        @murano_method(extension=True, name="shoutTwice")
        @staticmethod
        def shout_twice(text):
            return (text + "!") * 2

    registry = default_registry()
    registry.register("ext.PointTools", ToolsPart, package="tests")
    runner = make_runner(Object("ext.UsesTools"), system_classes=registry)
    executor = runner.executor
    from fornace.dsl.yaql_context import parse
    cls = executor.load_class("ext.UsesTools")
    ctx = cls.context.create_child_context()
    from fornace.dsl.runtime import Frame
    frame = Frame(executor, cls.find_method("testImported"), runner.root, ctx)
    ctx["?frame"] = frame
    engine = cls.package.engine
    assert parse("7.squared()", engine, True)(None, ctx, engine) == 49
    assert parse("hey.shoutTwice()", engine, True)(None, ctx, engine) == "hey!hey!"
    assert parse(":PointTools.squared(3)", engine, True)(None, ctx, engine) == 9
