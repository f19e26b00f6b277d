"""The core library in a session without a cloud: reports, registry, resources."""

from __future__ import annotations

import uuid

import pytest

from fornace.corelib import core_packages_dir
from fornace.corelib.system import SYSTEM_CLASSES
from tests.corelib.conftest import env_model, make_session


def reporting_app(greeting: str) -> dict:
    return {"?": {"type": "com.example.Reporting", "id": uuid.uuid4().hex},
            "greeting": greeting}


def test_application_reports_on_deploy(services_factory, reports):
    events = []
    services = services_factory(notify=lambda event, payload: events.append((event, payload)))
    session = make_session(services)
    env_id = services.environment_id
    app = reporting_app("hello")
    root = session.load(env_model(env_id, [app], network=False))
    session.call(root, "deploy")
    assert reports.texts() == ["hello from probe"]
    assert reports[0]["id"] == app["?"]["id"]
    assert reports[0]["level"] == "info"
    assert reports[0]["environment_id"] == env_id
    assert [(e, p["instance"], p["instance_type"]) for e, p in events] == [
        ("murano.track_instance", app["?"]["id"], 100)]
    assert ("applications.probe", "INFO", "deployed hello") in session.executor.log_records


def test_registry_binds_every_system_class_to_its_services(services_factory):
    from fornace.corelib import build_registry
    one, two = services_factory(), services_factory()
    reg_one, reg_two = build_registry(one), build_registry(two)
    for fqn in SYSTEM_CLASSES:
        assert reg_one.package_of(fqn) == "io.murano"
    assert reg_one._classes["io.murano.system.HeatStack"][1].services is one  # noqa: SLF001
    assert reg_two._classes["io.murano.system.HeatStack"][1].services is two  # noqa: SLF001


def test_core_packages_dir_holds_both_packages():
    names = {p.name for p in core_packages_dir().iterdir() if (p / "manifest.yaml").is_file()}
    assert {"io.murano", "io.murano.applications"} <= names


def test_deploy_without_cloud_fails_clearly_when_an_instance_needs_one(services_factory):
    session = make_session(services_factory())
    app = {"?": {"type": "com.example.WebProbe", "id": uuid.uuid4().hex}, "page": "x",
           "instance": {"?": {"type": "io.murano.resources.LinuxMuranoInstance",
                              "id": uuid.uuid4().hex},
                        "name": "web-1", "flavor": "m1.tiny", "image": "host"}}
    root = session.load(env_model(uuid.uuid4().hex, [app]))
    with pytest.raises(Exception) as caught:
        session.call(root, "deploy")
    assert "no cloud is configured" in str(caught.value)
