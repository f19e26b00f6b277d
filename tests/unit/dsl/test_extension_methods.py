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
