from __future__ import annotations

import pytest

from fornace.dsl.testing import Object, Ref


@pytest.fixture
def server():
    return Object("ser.Server", "srv", host="h1", baseProp="b")


@pytest.fixture
def runner(make_runner, server):
    return make_runner(Object("ser.App", "app", name="demo", server=server, also=Ref(server),
                              servers=[Ref(server)]))


def test_model_round_trip_objects_and_copy(runner, make_runner):
    model = runner.serialized_model
    objects = model["Objects"]
    assert objects["?"]["type"] == "ser.App/0.0.0@tests"
    assert objects["?"]["id"] == "app"
    assert objects["name"] == "demo"
    assert objects["server"]["?"]["id"] == "srv"
    assert objects["also"] == "srv"
    assert objects["servers"] == ["srv"]
    assert "secret" not in objects
    copy = model["ObjectsCopy"]
    assert "_actions" not in copy["?"]
    again = make_runner({"Objects": model["Objects"], "ObjectsCopy": copy})
    assert again.serialized_model["Objects"]["server"]["host"] == "h1"


def test_actions_listed_with_title(runner):
    actions = runner.serialized_model["Objects"]["?"]["_actions"]
    # (the test harness makes every test* method public, as Murano's does)
    actions = {k: v for k, v in actions.items() if not k.startswith("app_test")}
    assert actions == {
        "app_deploy": {"name": "deploy", "title": "Deploy it", "enabled": True},
        "app_restart": {"name": "restart", "title": "restart", "enabled": True},
    }


def test_out_property_written_back(runner):
    assert runner.deploy() == "done"
    assert runner.serialized_model["Objects"]["out"] == 5


def test_private_slots_not_serialised(runner):
    runner.testSetPrivate()
    assert "scratch" not in runner.serialized_model["Objects"]


def test_dropped_reference_removed(runner):
    obj = runner.root
    obj.values["also"] = runner.executor.new("ser.Server", {"host": "orphan"})
    model = runner.serialized_model["Objects"]
    # an object whose owner is not in the output is placed at its first reference
    assert model["also"]["host"] == "orphan"


def test_dump_serializable(runner):
    dumped = runner.testDumpSerializable()
    assert dumped["?"]["type"] == "ser.Server/0.0.0@tests"
    assert dumped["host"] == "h1"


def test_dump_inline(runner):
    dumped = runner.testDumpInline()
    type_key = next(k for k in dumped if k not in ("id", "name"))
    assert dumped[type_key] == {"host": "h1", "baseProp": "b"}
    assert dumped["id"] == "srv"


def test_dump_mixed_has_type_object(runner):
    dumped = runner.testDumpMixed()
    assert not isinstance(dumped["?"]["type"], str)


def test_dump_same_object_once_inline(runner):
    dumped = runner.testDumpShared()
    assert dumped["server"]["host"] == "h1"
    assert dumped["also"] == "srv"
    assert dumped["servers"] == ["srv"]


def test_dump_cast_without_upcasts(runner):
    dumped = runner.testDumpCast()
    assert dumped["?"]["type"] == "ser.Base/0.0.0@tests"
    assert dumped["baseProp"] == "b"
    assert "host" not in dumped
