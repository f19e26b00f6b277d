from __future__ import annotations

import pytest

from fornace.dsl.runtime import MuranoObject
from fornace.dsl.testing import (
    ContractViolationException,
    DslContractSyntaxError,
    NoObjectFoundError,
    Object,
)


@pytest.fixture
def leaf():
    return Object("ctr.Leaf", size=3, label="owned")


@pytest.fixture
def runner(make_runner, leaf):
    return make_runner(Object("ctr.Checker", owned=leaf, templ={"size": 2}))


@pytest.mark.parametrize(("given", "expected"), [
    ("text", "text"), (123, "123"), (None, None), (True, "True")])
def test_string(runner, given, expected):
    assert runner.testString(given) == expected


@pytest.mark.parametrize("given", [1.5, [1], {"a": 1}])
def test_string_rejects(runner, given):
    with pytest.raises(ContractViolationException, match=r"violates string\(\) contract"):
        runner.testString(given)


@pytest.mark.parametrize(("given", "expected"), [(5, 5), ("456", 456), (4.7, 4), (None, None),
                                                 (True, 1)])
def test_int(runner, given, expected):
    assert runner.testInt(given) == expected


def test_int_rejects_text_with_prefix(runner):
    with pytest.raises(ContractViolationException) as exc:
        runner.testInt("nan")
    assert str(exc.value) == "[ctr.Checker::testInt(v)] Value 'nan' violates int() contract"


@pytest.mark.parametrize(("given", "expected"), [(True, True), (10, True), (0, False),
                                                 ("x", True), ("", False), (None, None)])
def test_bool(runner, given, expected):
    assert runner.testBool(given) is expected


def test_not_null(runner):
    assert runner.testNotNull("x") == "x"
    with pytest.raises(ContractViolationException, match=r"null value violates notNull"):
        runner.testNotNull(None)


def test_class_from_object_definition_gets_new_id(runner):
    arg = Object("ctr.Leaf", size=9)
    result = runner.testClass(arg)
    assert isinstance(result, MuranoObject)
    assert result.type.name == "ctr.Leaf"
    assert result.id != arg.id


def test_class_from_plain_dict_uses_contract_type(runner):
    assert runner.testClass({"size": 4}).values["size"] == 4


def test_class_default_type(runner):
    assert runner.testClassDefaultType({"size": 6}).type.name == "ctr.Leaf"


def test_class_from_id(runner, leaf):
    assert runner.testClass(leaf.id).id == leaf.id


def test_class_unknown_id(runner):
    with pytest.raises(NoObjectFoundError):
        runner.testClass("NoSuchId")


def test_class_wrong_value(runner):
    with pytest.raises(ContractViolationException, match="cannot be represented as class"):
        runner.testClass(["list"])


def test_class_wrong_type(runner):
    with pytest.raises(ContractViolationException, match="is not compatible with requested type"):
        runner.testClass(Object("ctr.Checker"))


def test_check_predicate_sees_this(runner):
    assert runner.testCheck(50) == 50
    with pytest.raises(ContractViolationException, match="doesn't match predicate"):
        runner.testCheck(500)
    with pytest.raises(ContractViolationException):
        runner.testCheck(5)


def test_check_custom_message(runner):
    with pytest.raises(ContractViolationException, match="bad values are not welcome"):
        runner.testCheckMessage("bad")


def test_owned(runner, leaf):
    assert runner.testOwned(leaf.id).id == leaf.id
    assert runner.testOwned(None) is None
    with pytest.raises(ContractViolationException, match=r"violates owned\(\) contract"):
        runner.testOwned(Object("ctr.Leaf"))


def test_not_owned(runner, leaf):
    assert runner.testNotOwned(None) is None
    assert runner.testNotOwned(Object("ctr.Leaf")).type.name == "ctr.Leaf"
    with pytest.raises(ContractViolationException, match=r"violates notOwned\(\) contract"):
        runner.testNotOwned(leaf.id)


def test_property_object_is_owned_by_container(runner, leaf):
    assert runner.on(leaf).testOwnerIs(runner.root) is True


def test_scalar_contracts(runner):
    assert runner.testScalars("fixed", 7, False) == ["fixed", 7, False]
    for args in (("other", 7, False), ("fixed", 8, False), ("fixed", 7, True)):
        with pytest.raises(ContractViolationException, match="is not equal to"):
            runner.testScalars(*args)


def test_list_contract(runner):
    assert runner.testList(["3", 2, "1"]) == [3, 2, 1]
    assert runner.testList("99") == [99]
    assert runner.testList(None) == []


def test_list_positional_items(runner):
    assert runner.testListMixed([1, 2, 3]) == [1, "2", "3"]


def test_list_element_path_in_message(runner):
    with pytest.raises(ContractViolationException) as exc:
        runner.testList([1, "x"])
    assert "[ctr.Checker::testList(v)[1]]" in str(exc.value)


def test_list_bounds(runner):
    assert runner.testListMin([1, 2]) == [1, 2]
    with pytest.raises(ContractViolationException, match="must not be less than 2"):
        runner.testListMin([1])
    assert runner.testListMinMax([1, 2, 3]) == [1, 2, 3]
    with pytest.raises(ContractViolationException, match=r"not within \[1..3\] range"):
        runner.testListMinMax([1, 2, 3, 4])
    with pytest.raises(ContractViolationException):
        runner.testListMinMax([])


def test_dict_contract_keeps_declared_keys(runner):
    assert runner.testDict({"name": "n", "size": "4", "extra": 1}) == {"name": "n", "size": 4}
    with pytest.raises(ContractViolationException, match="is not of a dictionary type"):
        runner.testDict("text")
    with pytest.raises(ContractViolationException, match=r"\['name'\]"):
        runner.testDict({"size": 1})


def test_dict_expression_key(runner):
    assert runner.testDictExpr({"12": 3, "7": "x", "fixed": "5"}) == {
        12: "3", 7: "x", "fixed": 5}


def test_dict_two_expression_keys_is_a_syntax_error(runner):
    with pytest.raises(DslContractSyntaxError):
        runner.executor.load_class("ctr.Bad")


def test_any_contract(runner):
    assert runner.testAny({"x": [1]}) == {"x": [1]}


def test_argument_default_expression(runner):
    assert runner.testDefaultArg() == 101


def test_expression_contract_with_fallback(runner):
    assert runner.testOrDefault(None) == 5672
    assert runner.testOrDefault("12") == 12


def test_property_defaults_and_expression_defaults(runner):
    assert runner.testDefaults() == ["plainDefault", "plainDefault!"]


def test_template_of_object_definition(runner):
    result = runner.testTemplate(Object("ctr.Leaf", size=5, label="t"))
    assert sorted(result) == ["?", "label", "size"]
    assert result["size"] == 5


def test_template_wrong_type(runner):
    with pytest.raises(ContractViolationException):
        runner.testTemplate(Object("ctr.Checker"))


def test_template_excluded_property(runner):
    result = runner.testTemplateExclude(Object("ctr.Leaf", size="INVALID", label="t"))
    assert sorted(result) == ["?", "label"]


def test_template_property_from_plain_dict(runner):
    assert runner.testTemplateProperty()["size"] == 2


def test_lazy_iterators_are_materialised(runner):
    assert runner.testLazyIterator() == [0, 2, 4]
    assert runner.testIteratorArgument() == [2, 3]


def test_property_contract_applies_on_every_write(runner):
    with pytest.raises(ContractViolationException, match=r"\[ctr.Checker.lazy\[0\]\]"):
        runner.testPropertyContractOnWrite()
