from __future__ import annotations

import pytest

from fornace.dsl.testing import DslInvalidOperationError, MuranoPlException, Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("Loops"))


def test_if_then_and_fall_through(runner):
    assert runner.testPick(12) == "big"
    assert runner.testPick(3) == "small"
    assert runner.testPickElse(10) == "big"
    assert runner.testPickElse(9) == "little"


def test_if_uses_yaql_truthiness(runner):
    # '' and {} are false; a word, a negative number and a non-empty list are true
    assert runner.testTruthiness() == 4 + 8 + 16


def test_while_runs_until_false(runner):
    assert runner.testCountDown(5) == -1
    assert runner.traces == [5, 3, 1]


def test_while_with_non_boolean_condition(runner):
    assert runner.testDrain() == []
    assert runner.traces == ["a", "b", "c"]


def test_for_over_list_expression_and_dict_keys(runner):
    assert runner.testIterate() is None
    assert runner.traces == ["one", "two", 19, 29, "p"]


def test_repeat(runner):
    runner.testRepeatIt(3)
    assert runner.traces == ["tick"] * 3


def test_repeat_zero_times(runner):
    runner.testRepeatIt(0)
    assert runner.traces == []


def test_break_leaves_loop_then_fails_at_method_level(runner):
    with pytest.raises(DslInvalidOperationError, match="Break cannot be used on method level"):
        runner.testBreakOut()
    assert runner.traces == [0, 1, "stop", "after"]


def test_continue_skips_then_fails_at_method_level(runner):
    with pytest.raises(DslInvalidOperationError, match="Continue cannot be used on method level"):
        runner.testSkipSome()
    assert runner.traces == [1, 4, 5, "after"]


def test_match_first_equal_case(runner):
    assert runner.testMatchIt("red") == 1
    assert runner.testMatchIt("green") == 2
    assert runner.testMatchIt(3) == "three"
    assert runner.testMatchIt("blue") is None


def test_match_default(runner):
    assert runner.testMatchWithDefault("red") == 1
    assert runner.testMatchWithDefault("x") == "other"


def test_switch_runs_every_true_branch(runner):
    runner.testSwitchIt(500)
    assert runner.traces == ["positive", "huge"]


def test_switch_single_and_default(runner):
    runner.testSwitchIt(-1)
    runner.testSwitchIt(0)
    assert runner.traces == ["negative", "zero"]


def test_switch_with_constant_keys(runner):
    assert runner.testSwitchConstants() == 16 + 32 + 64


def test_do_block_shares_method_scope(runner):
    assert runner.testBlock() == 14
    assert runner.traces == [7]


def test_parallel_interleaves_at_sleep(runner):
    runner.testParallelTwo()
    assert runner.traces == ["enter", "enter", "leave", "leave"]


def test_parallel_with_limit(runner):
    runner.testParallelLimited()
    assert runner.traces == ["enter", "enter", "leave", "leave", "enter", "leave"]


def test_parallel_reraises_branch_failure_after_all_ran(runner):
    with pytest.raises(MuranoPlException, match="second branch"):
        runner.testParallelFailure()
    assert runner.traces == ["first", "third"]


def test_assignments_in_every_block_reach_method_scope(runner):
    assert runner.testScope() == 121111111


def test_return_from_inside_loop(runner):
    assert runner.testReturnFromLoop() == 400
