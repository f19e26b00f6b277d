from __future__ import annotations

import pytest

from fornace.dsl.testing import AmbiguousMethodName, ContractViolationException, Object


@pytest.fixture
def diamond():
    return Object("hier.Diamond", leftProp=1, rightProp=2)


@pytest.fixture
def runner(make_runner, diamond):
    return make_runner(Object("hier.Holder", target=diamond))


def test_method_defined_in_both_parents_is_ambiguous(runner, diamond):
    with pytest.raises(AmbiguousMethodName, match='more than one method "greet"'):
        runner.on(diamond).testAmbiguousGreet()


def test_super_calls_each_parent(runner, diamond):
    runner.on(diamond).testGreetBoth()
    assert runner.traces == ["leftGreet", "rightGreet"]


def test_psuper_calls_each_parent(runner, diamond):
    runner.on(diamond).testGreetBothParallel()
    assert sorted(runner.traces) == ["leftGreet", "rightGreet"]


def test_override_on_one_path_wins_over_common_root(runner, diamond):
    # RightParent.onlyRight calls $.whoAmI(): Root defines it, LeftParent overrides it
    assert runner.on(diamond).testVirtualFromParent() == "left"


def test_cast_dispatches_from_the_cast_type(runner, diamond):
    assert runner.on(diamond).testCastDispatch() == ["root", "root", "left"]


def test_common_root_method_reachable(runner):
    assert runner.testCallForeign() == ["Root", "left"]


def test_multi_class_contract(runner, diamond, make_runner):
    assert runner.on(diamond).testMultiClassContract(Object("hier.Diamond")) == "left"
    with pytest.raises(ContractViolationException):
        runner.on(diamond).testMultiClassContract(Object("hier.LeftParent"))
