from __future__ import annotations

import pytest

from fornace.dsl.testing import Object


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("dyn.Caller"))


def test_call_instance_method(runner):
    assert runner.testInstance() == 15


def test_call_with_keywords(runner):
    assert runner.testKeywords() == 8


def test_call_static_on_type_and_object(runner):
    assert runner.testStaticOnType() == 42
    assert runner.testStaticOnObject() == 8


def test_call_unknown_method(runner):
    with pytest.raises(Exception, match="nope"):
        runner.testUnknown()
