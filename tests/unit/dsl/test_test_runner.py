from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fornace.cli.test_runner import test_runner as command

PACKAGE = Path(__file__).parent / "packages" / "com.example.Tested"


def test_runs_all_fixtures_and_fails_on_failure():
    result = CliRunner().invoke(command, [str(PACKAGE)])
    assert result.exit_code == 1
    out = result.output
    assert "com.example.CalculatorTests.testAdd ... ok" in out
    assert "com.example.CalculatorTests.testTrue ... ok" in out
    assert "com.example.CalculatorTests.testWrongOnPurpose ... FAIL" in out
    assert "offset forgotten" in out
    assert "com.example.CalculatorTests.testError ... ERROR" in out
    assert "ContractViolationException" in out
    assert "Ran 4 tests: 2 passed, 2 failed" in out


def test_selects_class_and_method():
    result = CliRunner().invoke(command, [str(PACKAGE), "CalculatorTests.testAdd"])
    assert result.exit_code == 0, result.output
    assert "Ran 1 tests: 1 passed, 0 failed" in result.output


def test_verbose_prints_muranopl_stack():
    result = CliRunner().invoke(command, [str(PACKAGE), "CalculatorTests.testError", "-v"])
    assert result.exit_code == 1
    assert 'CalculatorTests.yaml", line' in result.output
    assert "in method testError of type com.example.CalculatorTests" in result.output


def test_unknown_selector():
    result = CliRunner().invoke(command, [str(PACKAGE), "Nope.testX"])
    assert result.exit_code == 2
    assert "no test fixture" in result.output
