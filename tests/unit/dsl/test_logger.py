from __future__ import annotations

import logging

from fornace.dsl.testing import Object


def test_logger_levels_and_formatting(make_runner, caplog):
    runner = make_runner(Object("cfg.Logging"))
    with caplog.at_level(logging.DEBUG, logger="applications"):
        assert runner.testLog() == "io.murano.system.Logger"
    records = runner.executor.log_records
    assert records[0] == ("applications.deploy", "INFO", "starting first of 3")
    assert records[1] == ("applications.deploy", "WARNING", "plain")
    assert records[2] == ("applications.deploy", "ERROR", "bad {placeholder")
    assert records[3][1] == "ERROR" and records[3][2].startswith("caught it")
    assert "exploded" in records[3][2]
    assert "applications.deploy" in caplog.text
