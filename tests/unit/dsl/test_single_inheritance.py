from __future__ import annotations

from fornace.dsl.testing import Object


def test_virtual_dispatch_from_parent_method(make_runner):
    assert make_runner(Object("calls.Child")).testVirtual() == "parent-child"


def test_super_as_function_and_method(make_runner):
    assert make_runner(Object("calls.Child")).testSuper() == "child+parent+parent"
