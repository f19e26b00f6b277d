from __future__ import annotations

import re

import pytest
from yaql.language import specs

from fornace.dsl.errors import format_stack
from fornace.dsl.testing import DslInvalidOperationError, MuranoPlException, Object


@specs.name("raisePythonError")
def raise_python_error() -> None:
    raise LookupError("plain Python failure")


@pytest.fixture
def runner(make_runner):
    return make_runner(Object("errs.Errors"), functions=[raise_python_error])


def test_throw_caught_by_name(runner):
    runner.testThrowCatch(1)
    assert runner.traces == ["start", "first message", "errs.firstKind", "cleanup"]


def test_rethrow_keeps_names_message_and_extra(runner):
    with pytest.raises(MuranoPlException) as exc:
        runner.testThrowCatch(2)
    assert exc.value.names == ("errs.otherKind", "errs.secondKind")
    assert exc.value.message == "second message"
    assert exc.value.extra == {"code": 42}
    assert str(exc.value) == "[errs.otherKind, errs.secondKind]: second message"
    assert runner.traces == ["start", "errs.secondKind", 42, "cleanup"]


def test_catch_all(runner):
    runner.testThrowCatch(3)
    assert runner.traces == ["start", "anything", "third message", "cleanup"]


def test_else_runs_without_error(runner):
    runner.testThrowCatch(4)
    assert runner.traces == ["start", "end", "noError", "cleanup"]


def test_python_errors_get_python_names(runner):
    # null.missing on a dict result: yaql raises; the name is the Python class path
    name = runner.testCatchPython()
    assert name.startswith("yaql.language.exceptions.") or name in {"KeyError", "TypeError"}


def test_catch_by_yaql_exception_name(runner):
    assert runner.testCatchByDslName() == "caught"


def test_contract_violation_is_catchable_by_murano_name(runner):
    message = runner.testCatchContract()
    assert "[errs.Errors::takesInt(v)]" in message
    assert "violates int() contract" in message


def test_nested_finally_order(runner):
    runner.testFinallyOrder()
    assert runner.traces == ["innerFinally", "outerCatch", "outerFinally"]


def test_return_passes_through_finally(runner):
    assert runner.testReturnThroughFinally() == "fromTry"
    assert runner.traces == ["finally"]


def test_rethrow_outside_catch(runner):
    with pytest.raises(DslInvalidOperationError):
        runner.testRethrowOutsideCatch()


def test_cause_is_kept(runner):
    with pytest.raises(MuranoPlException) as exc:
        runner.testCause()
    assert exc.value.names == ("errs.high",)
    assert isinstance(exc.value.cause, MuranoPlException)
    assert exc.value.cause.message == "root cause"
    assert "Caused by errs.low: root cause" in format_stack(exc.value)


def test_stack_trace_points_to_yaml_lines(runner):
    with pytest.raises(LookupError) as exc:
        runner.testStackTrace()
    trace = format_stack(exc.value)
    assert trace.startswith("LookupError: plain Python failure")
    frames = re.findall(r'File "(.*?)", line (\d+):(\d+) in method (\w+) of type ([\w.]+)', trace)
    assert [(f[0], f[3], f[4]) for f in frames] == [
        ("Errors.yaml", "level2", "errs.Errors"),
        ("Errors.yaml", "level1", "errs.Errors"),
        ("Errors.yaml", "testStackTrace", "errs.Errors"),
    ]
    # the innermost frame is the line of raisePythonError() in the class file
    source = (runner.executor.load_class("errs.Errors").package.definition.files["Errors.yaml"])
    line = int(frames[0][1])
    assert "raisePythonError()" in source.splitlines()[line - 1]
    assert runner.traces == ["level1"]


def test_exception_object_to_string(runner):
    assert runner.testToString() == "[errs.named]: hello"
