from __future__ import annotations

import pytest

from fornace.dsl.testing import ContractViolationException, NoMatchingMethodException, Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("calls.OverrideChild"))


def test_override_with_fewer_parameters_rejects_extra(runner):
    with pytest.raises(NoMatchingMethodException):
        runner.testFewer()


def test_override_adding_not_null_parameter(runner):
    with pytest.raises(ContractViolationException):
        runner.testMissingRequired()


def test_cast_reaches_base_signature(runner):
    assert runner.testSuperCall() == [1, 2]
