"""A LinuxMuranoInstance-based application on the real local cloud (root)."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

import pytest

from fornace.corelib.errors import AgentException
from fornace.dsl import murano_names
from tests.corelib.conftest import env_model, host_snapshot, make_session


def web_probe(page: str, fail: bool = False) -> dict[str, Any]:
    return {"?": {"type": "com.example.WebProbe", "id": uuid.uuid4().hex},
            "page": page, "failOnPurpose": fail,
            "instance": {"?": {"type": "io.murano.resources.LinuxMuranoInstance",
                               "id": uuid.uuid4().hex},
                         "name": "web-" + uuid.uuid4().hex[:6], "flavor": "m1.tiny",
                         "image": "host"}}


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - test URL
        return response.read().decode()


@pytest.mark.parametrize("local_env", ["unsigned", "signed"], indirect=True)
def test_instance_runs_plans_serves_page_and_is_destroyed(local_env, reports):
    services = local_env
    page = "hello from " + uuid.uuid4().hex
    session = make_session(services)
    root = session.load(env_model(services.environment_id, [web_probe(page)]))
    session.call(root, "deploy")
    model = session.finalize()

    app = root.get_property("applications")[0]
    address = app.get_property("address")
    assert address and address.startswith("10.")
    assert fetch(f"http://{address}:8080/") == page
    assert fetch(f"http://{address}:8080/put.txt") == "put by putFile"
    assert any(t.startswith(f"serving at {address} - started - put by putFile")
               for t in reports.texts()), reports.texts()
    stacks = services.cloud.list_stacks()
    assert len(stacks) == 1 and stacks[0].startswith("murano-")
    user_data = json.dumps(services.cloud.describe(stacks[0]).template)
    signed = bool(services.agents.public_key_pem())
    assert ("--signing-key" in user_data) is signed  # the agent refuses unsigned plans then

    # deleting the environment: the old model is destroyed, the region deletes its stack
    destroyer = make_session(services)
    assert model.get("Attributes"), "the generated stack name is kept in the attributes"
    destroyer.load({"Objects": None, "ObjectsCopy": model["Objects"],
                    "Attributes": model["Attributes"]})
    destroyer.finalize()
    assert services.cloud.list_stacks() == []
    netns, _mounts = host_snapshot()
    assert not any(services.cloud.state.tag in n for n in netns)


def test_failing_script_raises_muranopl_exception_with_its_output(local_env):
    services = local_env
    session = make_session(services)
    root = session.load(env_model(services.environment_id, [web_probe("x", fail=True)]))
    with pytest.raises(AgentException) as caught:
        session.call(root, "deploy")
    assert murano_names(caught.value) == ("murano.engine.system.agent.AgentException",)
    text = str(caught.value)
    assert "serve.sh: asked to fail" in text
    assert "broken on purpose" in text
    assert caught.value.extra.get("errorCode") == 100
