from __future__ import annotations

from fornace.dsl.testing import Object


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
