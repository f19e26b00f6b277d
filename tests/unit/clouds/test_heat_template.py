"""Heat templates as the local cloud reads them: parameters, functions, ordering."""

from __future__ import annotations

from typing import Any

import pytest

from fornace.clouds.errors import TemplateInvalid
from fornace.clouds.local.template import UNKNOWN, Resolver, parse


def template(**resources: Any) -> dict[str, Any]:
    return {
        "heat_template_version": "2013-05-23",
        "parameters": {
            "flavor": {"type": "string", "default": "m1.small"},
            "count": {"type": "number", "default": "3"},
            "zones": {"type": "comma_delimited_list", "default": "a, b"},
            "debug": {"type": "boolean", "default": "yes"},
            "conf": {"type": "json", "default": '{"port": 80}'},
        },
        "resources": resources,
        "outputs": {},
    }


def resolver(tmpl: Any, attrs: dict[tuple[str, str], Any] | None = None) -> Resolver:
    def get_attr(name: str, attr: str, path: list[Any]) -> Any:
        value = (attrs or {})[(name, attr)]
        for step in path:
            value = value[step]
        return value

    return Resolver(tmpl, lambda n: f"id-{n}", get_attr)


def test_parameters_take_defaults_given_values_and_types() -> None:
    parsed = parse(template(), {"flavor": "m1.tiny"}, None, {"OS::stack_name": "s"})
    assert parsed.parameters["flavor"] == "m1.tiny"
    assert parsed.parameters["count"] == 3
    assert parsed.parameters["zones"] == ["a", "b"]
    assert parsed.parameters["debug"] is True
    assert parsed.parameters["conf"] == {"port": 80}
    assert parsed.parameters["OS::stack_name"] == "s"


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"nope": 1}, "not defined"),
        ({"count": "many"}, "not a valid number"),
        ({"debug": "perhaps"}, "not a valid boolean"),
    ],
)
def test_bad_parameters_are_refused(given: dict[str, Any], words: str) -> None:
    with pytest.raises(TemplateInvalid, match=words):
        parse(template(), given, None, {})


def test_parameter_without_value_or_default() -> None:
    raw = template()
    raw["parameters"]["key"] = {"type": "string"}
    with pytest.raises(TemplateInvalid, match="'key' has no value") as caught:
        parse(raw, {}, None, {})
    assert "Pass a value" in (caught.value.hint or "")


def test_functions_resolve() -> None:
    parsed = parse(template(a={"type": "OS::Neutron::Net"}), {}, {"boot.sh": "echo hi"}, {})
    res = resolver(parsed, {("a", "addresses"): {"n": [{"addr": "10.0.0.2"}]}})
    value = res.resolve(
        {
            "id": {"get_resource": "a"},
            "flavor": {"get_param": "flavor"},
            "port": {"get_param": ["conf", "port"]},
            "ip": {"get_attr": ["a", "addresses", "n", 0, "addr"]},
            "script": {
                "str_replace": {
                    "template": "run $name on $name_ip",
                    "params": {"$name": "x", "$name_ip": "1.2.3.4"},
                }
            },
            "joined": {"list_join": [",", ["a", "b"], {"get_param": "zones"}]},
            "file": {"get_file": "boot.sh"},
            "plain": [1, {"key": "value"}],
        },
        "test",
    )
    assert value == {
        "id": "id-a",
        "flavor": "m1.small",
        "port": 80,
        "ip": "10.0.0.2",
        "script": "run x on 1.2.3.4",
        "joined": "a,b,a,b",
        "file": "echo hi",
        "plain": [1, {"key": "value"}],
    }


def test_unknown_values_spread_through_functions() -> None:
    parsed = parse(template(a={"type": "OS::Neutron::Net"}), {}, None, {})
    res = Resolver(parsed, lambda n: "id", lambda n, a, p: UNKNOWN)
    got = res.resolve(
        {"str_replace": {"template": "ip=$ip", "params": {"$ip": {"get_attr": ["a", "x"]}}}}, "t"
    )
    assert got is UNKNOWN


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (
            {
                "heat_template_version": "2013-05-23",
                "resources": {"a": {"type": "X", "propertiez": {}}},
            },
            "unknown key",
        ),
        ({"heat_template_version": "2013-05-23", "resources": {"a": "b"}}, "must be a mapping"),
        (
            {"heat_template_version": "2013-05-23", "resources": {"a": {"properties": {}}}},
            "no type",
        ),
        (
            {
                "heat_template_version": "2013-05-23",
                "resources": {"a": {"type": "X", "properties": {"n": {"get_resource": "ghost"}}}},
            },
            "ghost",
        ),
        (
            {
                "heat_template_version": "2013-05-23",
                "resources": {"a": {"type": "X", "properties": {"n": {"get_resource": "a"}}}},
            },
            "itself",
        ),
        (
            {"heat_template_version": "2013-05-23", "resources": {}, "outputs": {"o": {"x": 1}}},
            "with a value",
        ),
        ({"heat_template_version": "2013-05-23", "resourcez": {}}, "Unknown top-level"),
    ],
)
def test_malformed_templates(raw: dict[str, Any], words: str) -> None:
    with pytest.raises(TemplateInvalid, match=words):
        parse(raw, {}, None, {})


def test_get_file_must_be_given() -> None:
    parsed = parse(template(), {}, {}, {})
    with pytest.raises(TemplateInvalid, match="not among the files"):
        resolver(parsed).resolve({"get_file": "missing.sh"}, "here")


def test_waves_follow_dependencies_and_implicit_subnets() -> None:
    parsed = parse(
        template(
            net={"type": "OS::Neutron::Net"},
            sub={"type": "OS::Neutron::Subnet", "properties": {"network": {"get_resource": "net"}}},
            vm={
                "type": "OS::Nova::Server",
                "properties": {"networks": [{"network": {"get_resource": "net"}}]},
            },
            vol={"type": "OS::Cinder::Volume"},
            att={"type": "OS::Cinder::VolumeAttachment", "depends_on": ["vm", "vol"]},
        ),
        {},
        None,
        {},
    )
    assert parsed.order() == [["net", "vol"], ["sub"], ["vm"], ["att"]]
