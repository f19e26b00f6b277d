from __future__ import annotations

import pytest

from fornace.dsl.testing import (
    ContractViolationException,
    Object,
    UninitializedPropertyAccessError,
)


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("exe.Runner", name="r"))


def test_runtime_property_default(runner):
    assert runner.testRuntimeDefault() == "rd"


def test_runtime_property_without_default_is_uninitialized(runner):
    with pytest.raises(UninitializedPropertyAccessError):
        runner.testRuntimeUnset()


def test_runtime_property_set_in_init(runner):
    assert runner.testRuntimeFromInit() == "fromInit"


def test_runtime_not_null_not_enforced_at_load_but_on_write(runner):
    with pytest.raises(ContractViolationException):
        runner.testRuntimeNotNullUnset()
