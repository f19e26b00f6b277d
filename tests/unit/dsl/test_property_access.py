from __future__ import annotations

import pytest

from fornace.dsl.testing import (
    NoWriteAccessError,
    Object,
    PropertyReadError,
    PropertyWriteError,
    UninitializedPropertyAccessError,
)


@pytest.fixture
def diamond():
    return Object("hier.Diamond", rootProp="R", leftProp=1, rightProp=2, shared="s",
                  pIn=10, pConst=20, pOut=30, pInOut=40)


@pytest.fixture
def runner(make_runner, diamond):
    return make_runner(Object("hier.Holder", target=diamond))


def test_private_slots_are_per_class_level(runner, diamond):
    assert runner.on(diamond).testPrivatePerLevel() == ["LeftParent", "Root", "Diamond"]


def test_uninitialized_private_read_message(runner, diamond):
    with pytest.raises(UninitializedPropertyAccessError) as exc:
        runner.on(diamond).testUninitializedPrivate()
    assert str(exc.value) == (
        'Access to uninitialized property "neverSet" in class "hier.Diamond" is forbidden')


def test_foreign_class_reads_declared_property(runner):
    assert runner.testReadForeign() == 1


def test_foreign_class_cannot_read_private_slot(runner):
    with pytest.raises(PropertyReadError) as exc:
        runner.testReadForeignPrivate()
    assert str(exc.value) == 'Property "secret" in class "hier.Diamond" cannot be read'
    assert runner.traces == ["reading"]


def test_foreign_class_cannot_write_private_slot(runner):
    with pytest.raises(PropertyWriteError) as exc:
        runner.testWriteForeignPrivate()
    assert str(exc.value) == 'Property "secret" in class "hier.Diamond" cannot be written'


def test_foreign_class_cannot_write_even_inout(runner):
    with pytest.raises(NoWriteAccessError) as exc:
        runner.testWriteForeignInOut()
    assert str(exc.value) == 'Property "pInOut" is immutable to the caller'


def test_property_declared_twice_has_one_slot(runner, diamond):
    assert runner.on(diamond).testSharedSlot() == ["abc", "abc", "abc"]


@pytest.mark.parametrize("name", ["pIn", "pConst"])
def test_in_and_const_are_read_only(runner, diamond, name):
    with pytest.raises(NoWriteAccessError):
        runner.on(diamond).testWrite(name)


@pytest.mark.parametrize(("name", "value"), [("pOut", 3), ("pInOut", 4), ("pRuntime", 5)])
def test_out_inout_runtime_are_writable(runner, diamond, name, value):
    assert runner.on(diamond).testWrite(name) == value
