from __future__ import annotations

from fornace.dsl.attributes import AttributeStore


def test_set_get_and_owner_namespaces():
    store = AttributeStore()
    store.set("obj1", "a.Type", "key", "value")
    store.set("obj1", "b.Type", "key", "other")
    assert store.get("obj1", "a.Type", "key") == "value"
    assert store.get("obj1", "b.Type", "key") == "other"
    assert store.get("obj1", "c.Type", "key", "dflt") == "dflt"


def test_null_deletes():
    store = AttributeStore()
    store.set("obj1", "T", "key", 1)
    store.set("obj1", "T", "key", None)
    assert store.serialize(["obj1"]) == []


def test_serialize_only_known_objects_and_load_skips_nulls():
    store = AttributeStore()
    store.set("obj1", "T", "a", 1)
    store.set("gone", "T", "b", 2)
    rows = store.serialize(["obj1"])
    assert rows == [["obj1", "T", "a", 1]]
    again = AttributeStore()
    again.load(rows + [["obj2", "T", "c", None], "garbage"])
    assert again.serialize(["obj1", "obj2"]) == [["obj1", "T", "a", 1]]


def test_forget_object():
    store = AttributeStore()
    store.set("obj1", "T", "a", 1)
    store.set("obj2", "T", "a", 2)
    store.forget("obj1")
    assert store.serialize(["obj1", "obj2"]) == [["obj2", "T", "a", 2]]
