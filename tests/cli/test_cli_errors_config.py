"""One-line errors with what to do, exit codes, and where the URL and token come from."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Fornace

from fornace.cli.main import cli
from fornace.testing.servers import free_port, running_server


def test_server_down_is_one_line_with_the_fix() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["--url", url, "environment-list"])
    assert result.exit_code == 8
    assert result.stderr.splitlines() == [
        f"Error: cannot reach Fornace at {url}: connection refused",
        "Hint: start it with 'fornace serve' or pass --url"]


def test_debug_shows_the_traceback_through_the_real_entry_point() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "fornace.cli.main", "--url", url]
    quiet = subprocess.run([*command, "environment-list"], capture_output=True, text=True,
                           timeout=60)
    assert quiet.returncode == 8 and "Traceback" not in quiet.stderr
    loud = subprocess.run([*command, "--debug", "environment-list"], capture_output=True,
                          text=True, timeout=60)
    assert loud.returncode != 0 and "Traceback" in loud.stderr
    assert "APIConnectionError" in loud.stderr


@pytest.fixture
def builtin_url(settings_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from fornace.api.app import create_app

    with running_server(create_app(settings_factory(auth="builtin"))) as url:
        yield url


def test_bad_token_in_builtin_mode(builtin_url: str) -> None:
    result = CliRunner().invoke(cli, ["--url", builtin_url, "--token", "wrong",
                                      "environment-list"])
    assert result.exit_code == 6
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("Error: ") and "(HTTP 401)" in lines[0]
    assert lines[1].startswith("Hint: ")


def test_not_found_and_conflict_messages_are_the_servers(fornace: Fornace) -> None:
    missing = fornace("package-show", "f" * 32)
    assert missing.exit_code == 4
    assert missing.stderr.splitlines()[0].startswith("Error: ")
    assert "(HTTP 404)" in missing.stderr
    [env] = fornace.json("environment-create", "twice")
    sid = fornace.json("environment-session-create", env["id"])["id"]
    fornace.ok("environment-deploy", env["id"], "--session-id", sid)
    again = fornace("environment-deploy", env["id"], "--session-id", sid)
    assert again.exit_code == 7                  # Murano answers 403 here
    assert again.stderr == (f"Error: Session <SessionId {sid}> is already deployed or "
                            "deployment is in progress (HTTP 403)\n")


def _write_config(path: Path, url: str) -> None:
    path.write_text(f"default: local\nendpoints:\n  local:\n    url: {url}\n    token: admin\n"
                    "  other:\n    url: http://127.0.0.1:9\n    token: x\n")


def test_config_file_endpoints_and_precedence(fornace: Fornace, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "client.yaml"
    _write_config(config, fornace.url)
    monkeypatch.setenv("FORNACE_CLIENT_CONFIG", str(config))
    fornace.ok("environment-create", "cfg")
    runner = CliRunner()
    by_default = runner.invoke(cli, ["-o", "json", "environment-list"])
    assert by_default.exit_code == 0 and '"cfg"' in by_default.stdout
    other = runner.invoke(cli, ["--endpoint", "other", "environment-list"])
    assert other.exit_code == 8 and "http://127.0.0.1:9" in other.stderr
    monkeypatch.setenv("FORNACE_URL", fornace.url)       # the environment beats the file
    assert runner.invoke(cli, ["--endpoint", "other", "environment-list"]).exit_code == 0
    unknown = runner.invoke(cli, ["--endpoint", "nope", "environment-list"])
    assert unknown.exit_code == 1
    assert "no endpoint named 'nope'" in unknown.stderr and "known: local, other" in \
        unknown.stderr


def test_token_from_environment_is_used(fornace: Fornace,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORNACE_CLIENT_CONFIG", "/nonexistent/client.yaml")
    monkeypatch.setenv("FORNACE_URL", fornace.url)
    monkeypatch.setenv("FORNACE_TOKEN", "carol:proj-c")
    result = CliRunner().invoke(cli, ["-o", "json", "environment-create", "mine"])
    assert result.exit_code == 0
    assert '"tenant_id": "proj-c"' in result.stdout


def test_broken_config_file_is_one_line(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "client.yaml"
    config.write_text("endpoints: [1, 2\n")
    monkeypatch.setenv("FORNACE_CLIENT_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["environment-list"])
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: cannot read {config}")


def test_shell_completion_lists_commands() -> None:
    import os

    env = {**os.environ, "_FORNACE_COMPLETE": "bash_complete",
           "COMP_WORDS": "fornace environment-de", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "fornace.cli.main"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.split() == ["plain,environment-delete", "plain,environment-deploy"]
    script = subprocess.run([sys.executable, "-m", "fornace.cli.main"], capture_output=True,
                            text=True, timeout=60,
                            env={**os.environ, "_FORNACE_COMPLETE": "bash_source"})
    assert "_fornace_completion()" in script.stdout
