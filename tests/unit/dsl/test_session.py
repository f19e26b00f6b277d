"""The embedding API as the engine uses it: package folders, a deployment cycle, results."""

from __future__ import annotations

from pathlib import Path

import pytest

from fornace.dsl import (
    DirectoryPackageSource,
    MethodNotExposed,
    Session,
    SystemRegistry,
    default_registry,
    murano_method,
    parser_for,
)

PACKAGES = Path(__file__).parent / "packages"


@pytest.fixture
def session() -> Session:
    return Session(DirectoryPackageSource([PACKAGES], parser_for((1, 4))))


def test_directory_source_loads_manifest_package(session):
    calc = session.new("com.example.Calculator", offset=2)
    assert calc.type.package.name == "com.example.Tested"
    assert str(calc.type.version) == "1.0.0"
    assert session.executor.call(calc, "add", [1, 2], {}, entry=False) == 5


def test_entry_point_requires_action(session):
    calc = session.new("com.example.Calculator")
    with pytest.raises(MethodNotExposed):
        session.call(calc, "add", 1, 2)


@pytest.fixture
def test_session() -> Session:
    return Session(DirectoryPackageSource([PACKAGES], parser_for((1, 4))),
                   force_public_tests=True)


def test_execute_action_cycle(test_session):
    session = test_session
    model = {"Objects": {"?": {"type": "com.example.Calculator/1.0.0@com.example.Tested",
                               "id": "c1"}, "offset": 1}}
    result = session.execute_action(model, "c1", "double", {"value": 4})
    assert result["action"] == {"result": 9, "isException": False}
    objects = result["model"]["Objects"]
    assert objects["?"]["id"] == "c1"
    assert objects["lastResult"] == 9
    assert objects["?"]["_actions"]["c1_double"]["name"] == "double"
    assert result["model"]["ObjectsCopy"]["lastResult"] == 9


def test_execute_action_reports_failure_with_muranopl_trace(test_session):
    session = test_session
    model = {"Objects": {"?": {"type": "com.example.Calculator", "id": "c1"}}}
    result = session.execute_action(model, "c1", "explode")
    assert result["action"]["isException"] is True
    message = result["action"]["result"]["message"]
    assert message == "[com.example.CalculatorBroken]: cannot compute"
    assert "Calculator.yaml" in result["action"]["result"]["details"]
    assert "in method explode of type com.example.Calculator" in result["action"]["result"][
        "details"]


def test_objects_copy_gc_in_deployment_cycle(session):
    calc = {"?": {"type": "com.example.Calculator", "id": "c1"}, "offset": 1}
    before = {"?": {"type": "com.example.CalculatorTests", "id": "t1"}}
    model = {"Objects": before, "ObjectsCopy": {"?": {"type": "com.example.CalculatorTests",
                                                       "id": "t1"}, "extra": calc}}
    session.load(model)
    assert "c1" not in session.executor.objects  # only in ObjectsCopy: built, then collected


def test_python_system_class_registration():
    class Greeter:
        def __init__(self, this, greeting="hello", **_):
            self.greeting = greeting

        @murano_method
        def greet(self, name):
            return f"{self.greeting}, {name}"

    registry: SystemRegistry = default_registry()
    registry.register("com.example.Greeter", Greeter, package="com.example.Tested")
    session = Session(DirectoryPackageSource([PACKAGES], parser_for((1, 4))),
                      system_classes=registry)
    greeter = session.new("com.example.Greeter", greeting="hi")
    assert session.executor.call(greeter, "greet", ["you"], {}, entry=False) == "hi, you"
