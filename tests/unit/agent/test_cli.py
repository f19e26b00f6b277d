from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fornace.cli.agent import agent


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    seen: list[Any] = []

    def fake_run(self: Any, stop: Any = None) -> None:
        seen.append(self.config)

    monkeypatch.setattr("fornace.agent.service.Agent.run", fake_run)
    return seen


def test_options_come_from_file_env_and_command_line(tmp_path: Path, captured: list[Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "agent.yaml"
    config.write_text(f"bus_url: spool://{tmp_path}/bus\nqueue: from-file\n"
                      f"work_dir: {tmp_path}/work\nplan_timeout: 60\nresult_queue: r-file\n")
    monkeypatch.setenv("FORNACE_AGENT_RESULT_QUEUE", "r-env")
    result = CliRunner().invoke(agent, ["--config", str(config), "--queue", "from-cli"])
    assert result.exit_code == 0, result.output
    (settings,) = captured
    assert settings.queue == "from-cli"                 # command line beats the file
    assert settings.result_queue == "r-env"             # environment beats the file
    assert settings.plan_timeout == 60.0 and settings.work_dir == tmp_path / "work"
    assert settings.bus_url == f"spool://{tmp_path}/bus" and settings.engine_key is None


def test_unreadable_config_file_is_a_usage_error(tmp_path: Path, captured: list[Any]) -> None:
    config = tmp_path / "agent.yaml"
    config.write_text("- just\n- a list\n")
    result = CliRunner().invoke(agent, ["--config", str(config)])
    assert result.exit_code == 2
    assert "must hold a mapping" in result.output
    assert captured == []
