from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fornace.cli.test_runner import test_runner as command

PACKAGE = Path(__file__).parent / "packages" / "com.example.Tested"


def test_inject_with_mock_method():
    result = CliRunner().invoke(command, [str(PACKAGE), "CalculatorTests.testMockWithMethod"])
    assert result.exit_code == 0, result.output


def test_inject_with_expression_and_original_method():
    result = CliRunner().invoke(command, [str(PACKAGE),
                                          "CalculatorTests.testMockWithExpression"])
    assert result.exit_code == 0, result.output
