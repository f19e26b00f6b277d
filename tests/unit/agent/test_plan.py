"""Plan validation (Murano's rules and codes) and result decoding, without processes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fornace.agent.errors import IncorrectFormat
from fornace.agent.plan import validate_plan
from fornace.bus import AgentError, decode_result

VALID: dict[str, Any] = {
    "FormatVersion": "2.2.0", "Body": "return deploy()",
    "Scripts": {"deploy": {"Type": "Application", "EntryPoint": "f1", "Files": ["f2"],
                           "Options": {}},
                "cook": {"Type": "Chef", "EntryPoint": "web::server", "Files": ["f3"],
                         "Options": {"useBerkshelf": True}}},
    "Files": {"f1": {"Name": "run.sh", "BodyType": "Text", "Body": "echo"},
              "f2": {"Name": "lib/x.b64", "BodyType": "Base64", "Body": "eA=="},
              "f3": {"Name": "web", "Type": "Downloadable", "URL": "https://example.org/web.git"}},
}


def _changed(path: str, value: Any) -> dict[str, Any]:
    plan = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    node = plan
    for key in parents:
        node = node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return plan


def test_valid_plan_passes() -> None:
    validate_plan(VALID)


@pytest.mark.parametrize(("path", "value", "code", "message"), [
    ("FormatVersion", "2.3.0", 9, "Unsupported format version 2.3.0 (I support versions <=2.2.0)"),
    ("FormatVersion", "two", 9, "Unsupported format version two"),
    ("Scripts", ..., 2, "Scripts is not in the execution plan"),
    ("Files", [], 2, "Files is not a dictionary"),
    ("Scripts.deploy.Type", 3, 2, "Incorrect Type entry in script deploy"),
    ("Scripts.deploy.Type", "Ansible", 2, "Script has not a valid type Ansible"),
    ("Scripts.deploy.EntryPoint", "nope", 2, "Script deploy misses entry point nope"),
    ("Scripts.cook.EntryPoint", "web", 2,
     "Wrong EntryPoint web for Puppet/Chef executors. :: needed"),
    ("Scripts.deploy.Files", ["zz"], 2, "Script deploy misses file zz"),
    ("Files.f1.BodyType", "Hex", 2, "Incorrect BodyType in file f1"),
    ("Files.f3.URL", ..., 2, "Incorrect URL entry in file f3"),
    ("Files.f1.Name", "/etc/passwd", 2, "Invalid Name '/etc/passwd' in file f1: it must be a "
                                        "relative path inside the plan"),
    ("Files.f2.Name", "a/../../b", 2, "Invalid Name 'a/../../b' in file f2: it must be a "
                                      "relative path inside the plan"),
    ("Timeout", -1, 2, "Timeout -1 is not a positive number"),
])
def test_invalid_plans_get_murano_codes(path: str, value: Any, code: int, message: str) -> None:
    with pytest.raises(IncorrectFormat) as caught:
        validate_plan(_changed(path, value))
    assert (caught.value.error_code, str(caught.value)) == (code, message)


def test_version_rules_differ_between_2_0_2_1_and_2_2() -> None:
    berkshelf_in_21 = _changed("FormatVersion", "2.1.0")
    with pytest.raises(IncorrectFormat, match="option useBerkshelf invalid for version 2.1.0"):
        validate_plan(berkshelf_in_21)
    downloads_in_20 = copy.deepcopy(VALID)
    downloads_in_20["FormatVersion"] = "2.0.0"
    del downloads_in_20["Scripts"]["cook"]
    with pytest.raises(IncorrectFormat, match="Download file is f3 not valid for this version"):
        validate_plan(downloads_in_20)


def test_v1_plan_needs_only_dict_scripts_and_files() -> None:
    validate_plan({"Body": "return 1", "Scripts": {}, "Files": {}})
    with pytest.raises(IncorrectFormat, match="Scripts is not a dictionary"):
        validate_plan({"FormatVersion": "1.0.0", "Scripts": ["a.ps1"], "Files": {}})


def test_decode_v2_error_keeps_extra_body_fields() -> None:
    with pytest.raises(AgentError) as caught:
        decode_result({"FormatVersion": "2.0.0", "ErrorCode": 9, "Time": "t",
                       "Body": {"Message": "m", "AdditionalInfo": {"a": 1}, "Other": 2}})
    assert caught.value.info == {"message": "m", "details": {"a": 1}, "errorCode": 9,
                                 "time": "t", "extra": {"Other": 2}}


def test_decode_v1_results() -> None:
    assert decode_result({"IsException": False,
                          "Result": [{"IsException": False, "Result": [1]},
                                     {"IsException": False, "Result": "last"}]}) == "last"
    with pytest.raises(AgentError) as caught:
        decode_result({"FormatVersion": "1.0.0", "IsException": False, "Result": [
            {"IsException": True, "Result": ["Type", "boom", "cmd"]}]})
    info = caught.value.info
    assert (info["type"], info["message"], info["command"], info["details"], info["source"]) \
        == ("Type", "boom", "cmd", None, "command")
