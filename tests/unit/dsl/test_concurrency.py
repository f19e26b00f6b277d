from __future__ import annotations

import pytest
from yaql.language import specs

from fornace.dsl.testing import Object

ISOLATED = ["a-start", "pause", "a-end", "b-start", "pause", "b-end"]
CONCURRENT = ["a-start", "pause", "b-start", "pause", "a-end", "b-end"]


@pytest.fixture
def runner(make_runner):
    holder: dict[str, object] = {}

    @specs.name("pause")
    def pause():
        runner = holder["runner"]
        runner.traces.append("pause")
        runner.executor.scheduler.sleep(0)

    r = make_runner(Object("conc.Worker"), functions=[pause])
    holder["runner"] = r
    return r


@pytest.mark.parametrize(("method", "expected"), [
    ("testDefault", ISOLATED),          # same object, same method: serialised
    ("testOtherObjects", CONCURRENT),   # different objects run concurrently
    ("testFree", CONCURRENT),           # Synchronize onThis: false
    ("testSameKey", ISOLATED),          # onArgs with equal values
    ("testDifferentKeys", CONCURRENT),  # onArgs with different values
    ("testSameObjectKey", ISOLATED),    # the same object as key
    ("testDifferentObjectKeys", CONCURRENT),
])
def test_method_isolation(runner, method, expected):
    getattr(runner, method)()
    assert runner.traces == expected
