from __future__ import annotations

import pytest

from fornace.dsl.testing import (
    CircularExpressionDependenciesError,
    ContractViolationException,
    NoClassFound,
    Object,
    Ref,
)


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("build.Maker"))


def test_model_load_runs_init(runner):
    assert runner.traces == ["Maker::.init"]


def test_new_with_keywords_runs_init_after_properties(runner):
    runner.testNewKeywords()
    assert runner.traces == ["Maker::.init", "Made::.init", ["abc", "ABC", 7]]


def test_new_with_dict_applies_contracts(runner):
    runner.testNewDict()
    assert runner.traces[-1] == ["xyz", "XYZ", 8]


def test_new_with_owner_and_name(runner):
    assert runner.testNewOwnedNamed() == ["namedOne", True, True]


def test_new_from_inline_model_with_references(runner):
    value, children, *checks = runner.testNewModel()
    assert value == "root"
    assert children == ["c1", "c2"]
    assert checks == [True, True, True, True, True]


def test_new_unknown_class(runner):
    with pytest.raises(NoClassFound, match='Class "build.NoSuchClass" is not found'):
        runner.testNewUnknownClass()


def test_init_arguments_are_not_assigned_as_properties(runner):
    assert runner.testInitArgumentsShadowProperties() == ["p", "fromArgs"]


def test_defaults_may_depend_on_other_properties(runner):
    assert runner.testDefaultsOrder() == [10, 20, 21, "rt"]


def test_circular_defaults(runner):
    with pytest.raises(CircularExpressionDependenciesError):
        runner.testCircularDefaults()


def test_init_order_parents_first_left_to_right(runner):
    runner.testInitOrder()
    assert runner.traces[1:] == ["InitBase", "InitLeft", "InitRight", "InitChild"]


def test_missing_not_null_property_fails(runner):
    with pytest.raises(ContractViolationException, match=r"\[build.Strict.required\]"):
        runner.testNotNullMissing()


def test_model_load_with_not_null_missing_fails(make_runner):
    with pytest.raises(ContractViolationException):
        make_runner(Object("build.Strict"))


def test_objects_referenced_by_id_are_ready_in_init(make_runner):
    node = Object("build.Node", value="target")
    # the referenced object is defined after the referencing one: ids resolve anyway
    runner2 = make_runner(Object("build.Node", value="holder", items=[
        Object("build.Referencing", other=Ref(node)), node]))
    referencing = runner2.root.values["items"][0]
    assert runner2.on(referencing.id).testSeen() == "target"


def test_reference_to_unknown_id_fails(make_runner):
    from fornace.dsl.testing import NoObjectFoundError
    with pytest.raises(NoObjectFoundError):
        make_runner(Object("build.Referencing", other="no-such-id"))


def test_model_ids_are_kept(make_runner):
    runner = make_runner(Object("build.Node", "rootid", value="v"))
    assert runner.root.id == "rootid"
