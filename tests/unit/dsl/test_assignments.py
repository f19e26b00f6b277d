from __future__ import annotations

import pytest

from fornace.dsl.testing import InvalidLhsTargetError, Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("calls.Assign"))


def test_deep_assignment_into_variables_and_properties(runner):
    x, d, data = runner.testDeep()
    assert x == [1, 2, [30, 4]]
    assert d == {"a": {"b": {"c": 1}}, "k": "v"}
    assert data == {"list": [1, 20], "key2": {"inner": 2}}


def test_assignment_copies(runner):
    assert runner.testCopyOnWrite([1, 2]) == [[1, 2], ["changed", 2]]


def test_index_out_of_range(runner):
    with pytest.raises(IndexError):
        runner.testIndexOutOfRange()


def test_assign_to_this(runner):
    with pytest.raises(InvalidLhsTargetError):
        runner.testAssignThis()


def test_undefined_variable_reads_null(runner):
    assert runner.testUndefinedIsNull() is None
