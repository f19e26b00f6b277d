"""The README's quick start, command by command, on a fresh ``fornace serve``.

Commands come from README.md itself (the ```console block of "Quick start"),
so the README cannot drift from what works. ``.venv/bin/fornace`` becomes this
interpreter's ``fornace``; the page URL in the ``curl`` line is the one the
deployment printed (addresses differ between runs).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.root]

ROOT = Path(__file__).parents[3]


def quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1]
    block = section.split("```console", 1)[1].split("```", 1)[0]
    return [line[2:].split("  #")[0].strip()
            for line in block.splitlines() if line.startswith("$ ")]


def test_readme_quickstart_reaches_a_serving_application(served) -> None:
    url, _ = served
    fornace = str(Path(sys.executable).with_name("fornace"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORNACE_")}
    env["FORNACE_URL"] = url
    commands = quickstart_commands()
    assert any("apply" in c for c in commands) and any(c.startswith("curl") for c in commands)
    page_urls: list[str] = []
    for command in commands:
        if command.startswith("export "):
            key, _, value = command[len("export "):].partition("=")
            env[key] = value.split()[0]
            continue
        if command.startswith("curl"):
            assert page_urls, "the quick start fetches a page before deploying one"
            assert httpx.get(page_urls[0], timeout=10).text.startswith("Hello from web")
            continue
        argv = [fornace if a == ".venv/bin/fornace" else a
                for a in shlex.split(command.split("|")[0])]
        proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{command}\n{proc.stdout}\n{proc.stderr}"
        out = proc.stdout + proc.stderr
        if "package-list" in command:
            assert "com.fornace.samples.WebServer" in out
        if "apply" in command and "--wait" in command:
            assert "deployment finished: success" in out
            page_urls = re.findall(r"http://[\d.]+:\d+/", out)
        elif "apply" in command:
            assert "No changes." in out
        if command.startswith(".venv/bin/fornace status"):
            assert "ready" in out
    # environment-delete --wait removed the environment
    listed = subprocess.run([fornace, "-o", "json", "environment-list"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert "demo" not in listed
