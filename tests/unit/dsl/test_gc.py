from __future__ import annotations

import pytest

from fornace.dsl.testing import Object, ObjectDestroyedError


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("life.Collector", parts=[Object("life.Part", tag="p1")]))


def test_unreferenced_object_is_destroyed(runner):
    runner.testDropped()
    assert runner.traces == ["destroy dropped", "collected"]


def test_local_variable_keeps_object(runner):
    assert runner.testLocalKeepsAlive() == "local"
    assert runner.traces == ["collected"]


def test_argument_of_running_method_keeps_object(runner):
    runner.testArgumentKeepsAlive()
    assert runner.traces[0] == "collected"


def test_runtime_property_keeps_object(runner):
    runner.testRuntimePropertyKeepsAlive()
    assert runner.traces == ["collected"]


def test_static_property_keeps_object(runner):
    runner.testStaticKeepsAlive()
    assert runner.traces == ["collected"]


def test_notifications_then_destructors_owned_first(runner):
    runner.testDestructionOrder()
    # b is owned by a and publishes its destruction to a's handler
    assert runner.traces == ["a saw b go", "destroy b", "destroy a"]


def test_call_on_destroyed_object(runner, make_runner):
    r = make_runner(Object("life.Collector"))
    obj = r.executor.new("life.Part", {"tag": "t"})
    from fornace.dsl import gc
    gc.destroy(r.executor, [obj])
    with pytest.raises(ObjectDestroyedError, match="is already destroyed"):
        r.on(obj).getTag()


def test_is_doomed_inside_destroy(runner):
    runner.testIsDoomed()
    assert runner.traces == [[True, False], "destroy w"]


def test_attribute_store_round_trip(runner):
    assert runner.testAttributes() == [2, "dflt"]
    attrs = runner.serialized_model["Attributes"]
    assert [runner.root.id, "life.Collector", "counter", 2] in attrs


def test_finalize_destroys_everything_at_teardown(make_runner):
    r = make_runner(Object("life.Collector", parts=[Object("life.Part", tag="x")]))
    r.close()
    assert "destroy x" in r.traces


def test_objects_copy_only_objects_are_destroyed_children_first(make_runner):
    old_child = Object("life.Part", "c1", tag="old-child")
    old = Object("life.Part", "p1", tag="old", child=old_child)
    root_now = Object("life.Collector", "root", parts=[])
    root_before = Object("life.Collector", "root", parts=[old])
    r = make_runner({"Objects": root_now, "ObjectsCopy": root_before})
    assert r.traces == ["destroy old-child", "destroy old"]


def test_objects_copy_destroy_sees_surviving_objects_new_values(make_runner):
    keep_now = Object("life.Part", "k", tag="keep-updated")
    keep_before = Object("life.Part", "k", tag="keep")
    gone = Object("life.Watcher", "g", tag="gone", child="k")
    r = make_runner({
        "Objects": Object("life.Collector", "root", parts=[keep_now]),
        "ObjectsCopy": Object("life.Collector", "root", parts=[keep_before, gone]),
    })
    assert r.traces == [[True, False], "destroy gone"]
    assert r.executor.objects["k"].values["tag"] == "keep-updated"


def test_dependencies_serialised_and_restored(make_runner):
    r = make_runner(Object("life.Collector", parts=[Object("life.Part", "a", tag="a"),
                                                     Object("life.Part", "b", tag="b")]))
    objects = r.executor.objects
    objects["b"].dependencies.append(("a", "onFriendGone"))
    model = r.serialized_model
    parts = model["Objects"]["parts"]
    assert parts[1]["?"]["dependencies"] == {
        "onDestruction": [{"subscriber": "a", "handler": "onFriendGone"}]}
    r2 = make_runner({"Objects": model["Objects"]})
    assert r2.executor.objects["b"].dependencies == [("a", "onFriendGone")]
