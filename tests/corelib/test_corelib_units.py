"""Resources, HeatStack, execution plans and the agent's boot script, without a cloud."""

from __future__ import annotations

import base64
import sys
import uuid
from typing import Any

import pytest

from fornace.corelib.errors import ResourceNotFound, StackError
from fornace.corelib.system.agent import PlanBuilder
from fornace.corelib.system.heat_stack import HeatStack, merge_dicts
from fornace.corelib.userdata import agent_user_data, code_root, instance_bus_folder
from tests.corelib.conftest import make_session


def test_resources_come_from_the_calling_class_package(services_factory):
    session = make_session(services_factory())
    reader = session.new("com.example.ResourceReader")
    values = session.to_python(session.call(reader, "readAll"))
    assert values == {"json": {"answer": 42},
                      "yaml": {"when": "2024-01-02", "list": [1, 2]},  # timestamps stay text
                      "text": "FormatVersion", "bytes": 9}
    with pytest.raises(ResourceNotFound, match="not found in package com.example.Probe"):
        session.call(reader, "readMissing")


class FakeCloud:
    def __init__(self) -> None:
        self.pushed: list[tuple[str, dict[str, Any]]] = []
        self.deleted: list[str] = []

    def describe(self, name: str) -> Any:
        from fornace.clouds.errors import StackNotFound
        raise StackNotFound(f"stack {name} not found")

    def push(self, name: str, template: dict[str, Any], parameters: Any = None,
             files: Any = None) -> dict[str, Any]:
        if "bad" in template.get("resources", {}):
            from fornace.clouds.errors import TemplateInvalid
            raise TemplateInvalid("resource 'bad' is wrong", hint="fix it")
        self.pushed.append((name, template))
        return {}

    def outputs(self, name: str) -> dict[str, Any]:
        return {"x": 1}

    def delete(self, name: str) -> None:
        self.deleted.append(name)


def heat_stack(services_factory: Any, cloud: FakeCloud) -> HeatStack:
    bound = type("HeatStack", (HeatStack,), {"services": services_factory(cloud=cloud)})
    return bound(None, name="murano-x", description="d")


def test_heat_stack_merges_pushes_once_and_deletes(services_factory):
    cloud = FakeCloud()
    stack = heat_stack(services_factory, cloud)
    stack.update_template({"resources": {"a": {"type": "T", "properties": {"l": [1]}}}})
    stack.update_template({"resources": {"a": {"properties": {"l": [1, 2]}}, "b": {"type": "U"}}})
    stack.push()
    stack.push()  # unchanged: nothing sent
    assert len(cloud.pushed) == 1
    name, template = cloud.pushed[0]
    assert name == "murano-x" and template["description"] == "d"
    assert template["heat_template_version"] == "2013-05-23"
    assert template["resources"] == {"a": {"type": "T", "properties": {"l": [1, 2]}},
                                     "b": {"type": "U"}}
    assert stack.output() == {"x": 1}
    stack.delete()
    assert cloud.deleted == ["murano-x"] and stack.current() == {}


def test_heat_stack_errors_name_the_stack_and_keep_the_hint(services_factory):
    stack = heat_stack(services_factory, FakeCloud())
    stack.set_template({"resources": {"bad": {"type": "T"}}})
    with pytest.raises(StackError, match="stack murano-x failed: resource 'bad' is wrong") as e:
        stack.push()
    assert e.value.hint == "fix it"
    with pytest.raises(StackError, match="Cannot update heat template of version 2016"):
        stack.update_template({"heat_template_version": "2016-10-14"})


def test_merge_dicts_appends_new_list_items_only():
    assert merge_dicts({"a": [1, 2], "b": {"c": 1}}, {"a": [2, 3], "b": {"d": 2}}) == {
        "a": [1, 2, 3], "b": {"c": 1, "d": 2}}


class FakeResources:
    files = {"scripts/deploy.sh": b"#!/bin/sh\necho hi\n", "scripts/lib.bin": b"\x00\xff",
             "scripts/v1.ps1": b"Write-Host 1"}

    def read(self, name: str) -> bytes:
        return self.files[name]


def test_v2_plan_places_entry_points_and_files_from_resources():
    template = {"FormatVersion": "2.1.0", "Body": "return deploy().stdout",
                "Files": {"given": {"Name": "given.txt", "BodyType": "Text", "Body": "x"}},
                "Scripts": {"deploy": {"Type": "Application", "EntryPoint": "deploy.sh",
                                       "Files": ["given.txt", "<lib.bin>",
                                                 {"tool": "https://example.com/tool.tgz"}]}}}
    plan = PlanBuilder(FakeResources()).build(template)  # type: ignore[arg-type]
    assert plan["Action"] == "Execute" and isinstance(plan["Stamp"], int) and plan["ID"]
    script = plan["Scripts"]["deploy"]
    files = plan["Files"]
    assert files[script["EntryPoint"]] == {"Name": "deploy.sh", "BodyType": "Text",
                                           "Body": "#!/bin/sh\necho hi\n"}
    given, binary, url = script["Files"]
    assert given == "given"
    assert files[binary] == {"Name": "lib.bin", "BodyType": "Base64",
                             "Body": base64.b64encode(b"\x00\xff").decode() + "\n"}
    assert files[url] == {"Name": "tool", "URL": "https://example.com/tool.tgz",
                          "Type": "Downloadable"}
    assert "ID" not in template  # the template itself is left alone
    again = PlanBuilder(FakeResources()).build(template)  # type: ignore[arg-type]
    assert again["Stamp"] > plan["Stamp"] and again["ID"] != plan["ID"]


def test_v1_plan_scripts_are_base64():
    plan = PlanBuilder(FakeResources()).build({"Scripts": ["v1.ps1"]})  # type: ignore[arg-type]
    assert plan["Scripts"] == [base64.b64encode(b"Write-Host 1").decode()]


def test_boot_script_runs_the_engines_interpreter_on_the_environment_spool():
    key = "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n"
    script = agent_user_data("spool:///var/lib/fornace-bus", "eabc-hdef",
                             result_queue="-execution-results-abc", signing_key_pem=key)
    assert script.startswith("#!/bin/sh\n")
    assert f"export PYTHONPATH={code_root()}" in script
    assert (f"exec {sys.executable} -m fornace.cli.main agent --bus-url "
            "spool:///var/lib/fornace-bus --queue eabc-hdef") in script
    assert "--signing-key /etc/fornace-agent/engine-key.pem" in script
    assert key.strip() in script
    hostile = agent_user_data("spool:///x", "q; rm -rf /")
    assert "'q; rm -rf /'" in hostile


def test_instance_bus_folder_is_per_environment(tmp_path):
    env = uuid.uuid4().hex
    assert instance_bus_folder(tmp_path, env) == tmp_path / "agents" / env
    assert instance_bus_folder(tmp_path, "../../etc") == tmp_path / "agents" / "etc"
    with pytest.raises(ValueError):
        instance_bus_folder(tmp_path, "../..")


class FailingChannel:
    def __init__(self) -> None:
        self.plans: list[tuple[str, dict[str, Any], float]] = []

    def call(self, queue: str, plan: dict[str, Any], timeout: float) -> dict[str, Any]:
        self.plans.append((queue, plan, timeout))
        return {"FormatVersion": "2.0.0", "ID": "r1", "SourceID": plan["ID"], "ErrorCode": 100,
                "Time": "2026-11-22T00:00:00",
                "Body": {"Message": "Script serve returned error code",
                         "AdditionalInfo": {"exitCode": 3, "stdout": "asked to fail",
                                            "stderr": "broken"}}}

    def send(self, queue: str, plan: dict[str, Any]) -> str:
        raise AssertionError("not used")


class FakeBroker:
    def __init__(self) -> None:
        self.channel_ = FailingChannel()
        self.declared: list[str] = []

    def channel(self) -> FailingChannel:
        return self.channel_

    def declare(self, queue: str) -> None:
        self.declared.append(queue)

    def agent_bus_url(self) -> str:
        return "spool:///var/lib/fornace-bus"

    def result_queue(self) -> str:
        return "-execution-results-x"

    def public_key_pem(self) -> str:
        return ""


def test_agent_failure_is_catchable_in_muranopl_with_the_script_output(services_factory):
    broker = FakeBroker()
    services = services_factory(agents=broker)
    session = make_session(services)
    user = session.new("com.example.AgentUser")
    caught = session.to_python(session.call(user, "runCaught"))
    queue = f"e{services.environment_id}-h{user.id}"
    assert caught == {"message": "Script serve returned error code\nasked to fail\nbroken",
                      "code": 100, "queue": queue}
    assert broker.declared == [queue]
    sent_queue, plan, timeout = broker.channel_.plans[0]
    assert (sent_queue, timeout) == (queue, 5.0)
    entry = plan["Files"][plan["Scripts"]["serve"]["EntryPoint"]]
    assert entry["Name"] == "serve.sh" and entry["Body"].startswith("#!/bin/sh")
    assert plan["Parameters"] == {"page": "x", "fail": "true"}
