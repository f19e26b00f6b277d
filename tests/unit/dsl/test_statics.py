from __future__ import annotations

import pytest

from fornace.dsl.system import SystemRegistry, default_registry, murano_method
from fornace.dsl.testing import NoMatchingMethodException, NoPropertyFound, Object


class StaticsPart:
    def __init__(self, this, **_):
        self.this = this

    @murano_method(static=True)
    @staticmethod
    def py_triple(value):
        return 3 * value

    def not_exposed(self):  # no @murano_method: never callable from MuranoPL
        return "secret"


@pytest.fixture
def registry() -> SystemRegistry:
    reg = default_registry()
    reg.register("st.Statics", StaticsPart, package="tests")
    return reg


@pytest.fixture
def runner(make_runner, registry):
    return make_runner(Object("st.Statics", label="FROM MODEL", instanceProp="x"),
                       system_classes=registry)


def test_static_method_on_object(runner):
    assert runner.testOnObject() == 42


def test_static_method_on_type_references(runner):
    assert runner.testOnTypeName() == [2, 4, 6]


def test_this_is_a_type_reference_in_static_method(runner):
    assert runner.testThisIsType() == [True, True]


def test_static_method_cannot_read_instance_properties(runner):
    with pytest.raises(NoPropertyFound):
        runner.testNoInstanceAccess()


def test_static_property_written_through_every_receiver(runner):
    assert runner.testWriteStaticWays() == "five"
    assert runner.traces == ["one", "two", "three", "four"]


def test_deep_write_into_static_dict(runner):
    assert runner.testDeepStaticWrite() == {"key": "value", "other": {"deep": 1}}


def test_static_property_shared_between_instances(runner):
    assert runner.testSharedBetweenInstances() == "shared"


def test_static_property_not_loaded_from_model(runner):
    assert runner.testNotFromModel() == "initial"


def test_type_reference_is_singleton(runner):
    # at runtime 1.0 type(object) is the class name; type(name) is the reference
    assert runner.testTypeSingleton() == [True, "st.Statics"]


def test_inherited_static_property_is_one_value(runner):
    assert runner.testInherited() == [101, 101, 101]


def test_redeclared_static_property_hides_base(runner):
    assert runner.testOverride() == ["fromChild", "fromChild", "fromBase", "fromChild",
                                     "fromBase"]


def test_this_of_inherited_static(runner):
    assert runner.testStaticThisOfBase() is True


def test_static_call_on_unrelated_type(runner):
    with pytest.raises((NoMatchingMethodException, Exception)) as exc:
        runner.testUnrelatedReceiver()
    assert "double" in str(exc.value)


def test_python_static_method(runner):
    assert runner.testPython() == [9, 12]


def test_static_action_from_outside(runner):
    assert runner.on_class("st.Statics").staticAction() == "static action result"


def test_unmarked_python_method_is_not_exposed(runner):
    cls = runner.executor.load_class("st.Statics")
    assert cls.find_method("pyTriple") is not None
    assert cls.find_method("notExposed") is None
    assert cls.find_method("not_exposed") is None
