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
