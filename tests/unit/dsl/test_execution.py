from __future__ import annotations

import pytest

from fornace.dsl.testing import (
    ContractViolationException,
    MethodNotExposed,
    NoMethodFound,
    Object,
)


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("exe.Runner", name="r"))


def test_model_load_fails_on_missing_not_null(make_runner):
    with pytest.raises(ContractViolationException, match=r"\[exe.Runner.name\]"):
        make_runner(Object("exe.Runner"))


@pytest.mark.parametrize("value", [1, "text", [1, 2], {"a": [1]}, None])
def test_return_values_come_back_as_python_data(runner, value):
    assert runner.testReturn(value) == value


def test_return_without_value_and_no_return(runner):
    assert runner.testReturnNothing() is None
    assert runner.testNoReturn() is None


def test_python_errors_surface_as_themselves(runner):
    with pytest.raises(Exception) as exc:
        runner.testPythonError()
    assert not isinstance(exc.value, ContractViolationException)


def test_unknown_method_from_outside(runner):
    with pytest.raises(NoMethodFound):
        runner.noSuchMethod()


def test_unknown_method_from_code(runner):
    with pytest.raises(Exception, match="nothingLikeThis"):
        runner.testUnknownMethod()


def test_entry_point_must_be_public(runner):
    with pytest.raises(MethodNotExposed):
        runner.notAnAction()
