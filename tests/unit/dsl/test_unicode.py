from __future__ import annotations

import pytest

from fornace.dsl.testing import MuranoPlException, Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("calls.Unicode"))


def test_literal(runner):
    assert runner.testLiteral() == "солнце ♥ φεγγάρι"


def test_expression(runner):
    assert runner.testExpression() == "солнце ♥ φεγγάρι☀ü"


def test_argument(runner):
    assert runner.testArgument("straße ü") == "STRASSE Ü"


def test_exception_message(runner):
    with pytest.raises(MuranoPlException) as exc:
        runner.testThrow()
    assert exc.value.names == ("calls.Ошибка",)
    assert str(exc.value) == "[calls.Ошибка]: сообщение ✓"
