"""fornace apply / diff: declarative environments, idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Fornace, engine_result

from fornace.api.results import process_result
from fornace.cli._manifest import load_manifest, plan
from fornace.errors import InvalidInput

FILE = """\
environment: shop
defaultNetworks: null
applications:
  - name: web
    type: com.example.Web
    id: {web_id}
    properties:
      port: 80
      php: true
  - name: db
    type: com.example.Db
    properties:
      size: 10
"""
WEB_ID = "c" * 32


def _finish(api: httpx.Client, engine_side: Any, env_id: str) -> None:
    """The engine's part: the deployed session's model becomes the environment's."""
    sessions_model = api.get(f"/v1/environments/{env_id}/deployments").json()
    description = sessions_model["deployments"][0]["description"]
    engine_side(lambda db: process_result(db, env_id, engine_result(description)))


def test_apply_creates_deploys_and_is_idempotent(fornace: Fornace, api: httpx.Client,
                                                 engine_side: Any, tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(FILE.format(web_id=WEB_ID))
    preview = fornace.json("diff", str(spec))["changes"]
    assert [(c["op"], c["name"]) for c in preview] == [
        ("create-environment", "shop"), ("add", "web"), ("add", "db")]
    assert fornace.json("environment-list") == []            # diff changed nothing

    first = fornace.ok("apply", str(spec))
    assert "+ application web (com.example.Web)" in first.stdout
    [env] = fornace.json("environment-list")
    [deployment] = fornace.json("deployment-list", env["id"])
    assert deployment["state"] == "running"
    _finish(api, engine_side, env["id"])
    services = api.get(f"/v1/environments/{env['id']}/services").json()
    assert {s["name"]: s["?"]["id"] for s in services}["web"] == WEB_ID
    web = next(s for s in services if s["name"] == "web")
    assert (web["port"], web["php"]) == (80, True)

    assert fornace.ok("diff", str(spec)).stdout.strip() == "No changes."
    again = fornace.ok("apply", str(spec))
    assert again.stdout.strip() == "No changes."
    assert len(fornace.json("deployment-list", env["id"])) == 1     # no redeploy

    # change one property, drop db: an update and a removal, then stable again
    spec.write_text(FILE.format(web_id=WEB_ID).replace("port: 80", "port: 8080")
                    .split("  - name: db")[0])
    changes = fornace.json("diff", str(spec))["changes"]
    assert [(c["op"], c["name"]) for c in changes] == [("update", "web"), ("remove", "db")]
    assert changes[0]["fields"] == {"port": {"old": 80, "new": 8080}}
    fornace.ok("apply", str(spec))
    _finish(api, engine_side, env["id"])
    services = api.get(f"/v1/environments/{env['id']}/services").json()
    assert [(s["name"], s["port"]) for s in services] == [("web", 8080)]
    assert fornace.ok("apply", str(spec)).stdout.strip() == "No changes."
    assert len(fornace.json("deployment-list", env["id"])) == 2


def test_engine_outputs_do_not_count_as_changes(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(FILE.format(web_id=WEB_ID))
    manifest = load_manifest(spec)
    current = [{"?": {"type": "com.example.Web", "id": WEB_ID, "status": "ready"},
                "name": "web", "port": 80, "php": True, "instanceIp": "10.0.0.3"},
               {"?": {"type": "com.example.Db", "id": "d" * 32}, "name": "db", "size": 10}]
    assert plan(manifest, current) == []
    current[1]["?"]["type"] = "com.example.OtherDb"
    [change] = plan(manifest, current)
    assert change.op == "update" and "?.type" in change.fields


@pytest.mark.parametrize(("text", "message"), [
    ("- a\n", "must be a mapping"),
    ("applications: []\n", "'environment'"),
    ("environment: e\napplications: [{name: a}]\n", "'type'"),
    ("environment: e\napplications: [{name: a, type: T}, {name: a, type: T}]\n", "twice"),
    ("environment: e\nextra: 1\n", "unknown keys"),
    ("environment: e\napplications: [{name: a, type: T, properties: {'?': {}}}]\n", "'?'"),
    ("environment: [\n", "not valid YAML"),
])
def test_bad_files_are_refused_with_the_reason(tmp_path: Path, text: str,
                                               message: str) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        load_manifest(spec)
    assert message in caught.value.message and caught.value.hint


def test_bad_file_through_the_cli_changes_nothing(fornace: Fornace, tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("environment: e\napplications: [{name: a}]\n")
    result = fornace("apply", str(spec))
    assert result.exit_code == 9 and "'type' (a class FQN) is required" in result.stderr
    assert fornace.json("environment-list") == []
