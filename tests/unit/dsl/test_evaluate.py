"""Sandboxed yaql outside MuranoPL classes (what the dashboard's ui.yaml forms use)."""

from __future__ import annotations

import pytest

from fornace.dsl import DslInvalidOperationError, LimitExceeded, Limits, evaluate
from fornace.dsl.sandbox import SandboxViolation


def test_evaluates_with_data_and_variables():
    assert evaluate("$.a + $b", {"a": 1}, variables={"b": 2}) == 3
    assert evaluate("$.items.select($ * 2)", {"items": [1, 2]}) == (2, 4)


def test_format_sandboxed():
    with pytest.raises(SandboxViolation):
        evaluate("format('{0.__class__}', $)", {"a": 1})


def test_session_functions_refused():
    with pytest.raises(DslInvalidOperationError, match="needs a MuranoPL session"):
        evaluate("new('x.Y')")


def test_limits_apply():
    with pytest.raises(LimitExceeded):
        evaluate("range(1000000).len()", limits=Limits(max_range=1000))
