from __future__ import annotations

import pytest

from fornace.dsl.testing import ContractViolationException, NoMatchingMethodException, Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("calls.Variadic"))


def test_varargs(runner):
    assert runner.testVarArgs(1, 2, 3, 4) == [2, 3, 4]


def test_kwargs(runner):
    assert runner.testKwArgs(1, arg2=2, arg3=3) == {"arg2": 2, "arg3": 3}


def test_both(runner):
    assert runner.testBoth(1, 2, 3, arg1=4, arg2=5) == [[1, 2, 3], {"arg1": 4, "arg2": 5}]


def test_both_from_muranopl(runner):
    assert runner.testCallInternally() == [[1, 2, 3], {"a": 4, "b": 5}]


def test_duplicate_argument(runner):
    with pytest.raises(NoMatchingMethodException):
        runner.testDuplicate()


def test_naming_the_varargs_argument(runner):
    with pytest.raises(NoMatchingMethodException):
        runner.testNameVarArgs()


def test_too_many_positionals(runner):
    with pytest.raises(NoMatchingMethodException):
        runner.testTooMany()


def test_element_contracts(runner):
    with pytest.raises(ContractViolationException):
        runner.testVarArgs(1, 2, "x")
    with pytest.raises(ContractViolationException):
        runner.testKwArgs(1, a="x")


def test_dynamic_call(runner):
    assert runner.testDynamicCall() == [7, 8]
