"""One case per published attack on yaql/MuranoPL sandboxes, and variants.

CVE-2024-29156 (format-string traversal through yaql's format), CVE-2016-4972
(unsafe YAML tags in class files), walks to __class__/__globals__, delegates,
recursion, huge ranges, memory bombs, endless loops.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fornace.dsl import DslSyntaxError, LimitExceeded, load_class_folder
from fornace.dsl.sandbox import SandboxViolation
from fornace.dsl.testing import Runner
from fornace.dsl.yaql_context import Limits, parser_for

HERE = Path(__file__).parent
LIMITS = Limits(execution_time=5.0, loop_iterations=200_000, recursion_depth=64)


@pytest.fixture(scope="module")
def runner():
    r = Runner("Attacks", [HERE / "classes"], limits=LIMITS)
    yield r
    r.close()


FORMAT_ATTACKS = [
    "testFormatClass", "testFormatMro", "testFormatGlobalsViaInit", "testFormatMethodForm",
    "testFormatOnString", "testFormatOnDict", "testFormatIndexAttr", "testFormatItemOnObject",
    "testFormatNested",
]


@pytest.mark.parametrize("method", FORMAT_ATTACKS)
def test_format_string_traversal_refused(runner, method):
    """CVE-2024-29156: '{0.__class__...}'.format($) must not reach Python attributes."""
    with pytest.raises(SandboxViolation, match="is not allowed"):
        getattr(runner, method)()


def test_format_conversion_prints_object_not_python_repr(runner):
    text = runner.testFormatConversion()
    assert text.startswith("'<Attacks ") and "object at 0x" not in text


@pytest.mark.parametrize(("method", "text"), [
    ("testDunderProperty", "$.__class__"),
    ("testGlobalsWalk", "$.__init__.__globals__"),
])
def test_dunder_names_are_not_yaql(runner, method, text):
    """yaql's lexer has no identifiers starting with '_': the scalar stays a plain string."""
    assert getattr(runner, method)() == text


@pytest.mark.parametrize("method", ["testPrivateAttribute", "testObjectSlots",
                                    "testMethodOfPython", "testStringPythonMethod"])
def test_python_attributes_of_objects_unreachable(runner, method):
    """executor, values, type, id: Python attributes of the object are not properties."""
    with pytest.raises(Exception, match=r'property "\w+" in class "Attacks"'):
        getattr(runner, method)()


def test_dunder_key_on_dict_is_just_a_missing_key(runner):
    assert runner.testDunderOnDict() is None


@pytest.mark.parametrize("method", ["testLambda", "testCallDelegate"])
def test_delegates_disabled(runner, method):
    with pytest.raises(Exception, match="lambda"):
        getattr(runner, method)()


def test_settings_unreachable_from_package_code(runner):
    with pytest.raises(Exception, match='function "config"'):
        runner.testConfig()


@pytest.mark.parametrize(("method", "limit"), [
    ("testRecursion", "recursion depth"),
    ("testHugeRange", "range size"),
    ("testInfiniteSequence", "iterations|range size"),
    ("testHugeRepeat", "range size"),
    ("testStringBomb", "memory"),
    ("testStringDoubling", "memory"),
    ("testListBomb", "memory"),
    ("testPowerBomb", "memory"),
    ("testEndlessLoop", "loop iterations"),
    ("testSelectIterations", "iterations"),
])
def test_limits_fail_with_named_setting(runner, method, limit):
    with pytest.raises(LimitExceeded) as exc:
        getattr(runner, method)()
    assert re.search(limit, str(exc.value))
    assert "dsl." in (exc.value.hint or "")


def test_limits_cannot_be_caught_by_package_code(runner):
    with pytest.raises(LimitExceeded):
        runner.testRecursionCaught()


def test_execution_time_limit():
    r = Runner("Attacks", [HERE / "classes"],
               limits=Limits(execution_time=0.5, loop_iterations=10**9))
    with pytest.raises(LimitExceeded, match="execution time") as exc:
        r.testEndlessLoop()
    assert exc.value.hint and "dsl.execution_time_limit" in exc.value.hint


def test_forced_dunder_expression_refused_at_load(tmp_path):
    (tmp_path / "dunder.yaml").write_text((HERE / "hostile" / "dunder.yaml").read_text())
    with pytest.raises(DslSyntaxError, match=r"dunder.yaml:\d+:\d+: invalid yaql expression"):
        load_class_folder(tmp_path).documents(parser_for((1, 0)))


@pytest.mark.parametrize("file_name", ["python_object.yaml", "python_name.yaml"])
def test_unsafe_yaml_tags_refused(tmp_path, file_name):
    """CVE-2016-4972: class files are loaded safely; python tags are errors, never run."""
    (tmp_path / file_name).write_text((HERE / "hostile" / file_name).read_text())
    package = load_class_folder(tmp_path)
    with pytest.raises(DslSyntaxError, match=rf"{file_name}:\d+:\d+: .*constructor") as exc:
        package.documents(parser_for((1, 0)))
    assert "python" in str(exc.value)
    assert not Path("/tmp/fornace-pwned").exists()
