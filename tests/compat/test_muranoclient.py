"""python-muranoclient 2.8.0's ``murano`` CLI against a live Fornace API.

Each test drives the CLI as a user would and checks the effect through the
CLI's own output or the API, not just the exit code.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from fornace.testing.packages import DEFAULT_UI, package_zip
from fornace.testing.tables import parse_properties, parse_table

pytestmark = pytest.mark.slow

ADMIN = "root:admin:admin"


def _names(rows: list[dict[str, str]], key: str = "Name") -> set[str]:
    return {r[key] for r in rows}


def test_environment_lifecycle(murano, api: httpx.Client, tmp_path: Path) -> None:
    created = parse_table(murano("environment-create", "compat-env").stdout)
    assert created[0]["Name"] == "compat-env" and created[0]["Status"] == "ready"
    env_id = created[0]["ID"]

    assert "compat-env" in _names(parse_table(murano("environment-list").stdout))
    shown = parse_properties(murano("environment-show", env_id).stdout)
    assert shown["id"] == env_id and shown["tenant_id"] == "proj-a" and shown["status"] == "ready"

    murano("environment-rename", env_id, "compat-renamed")
    assert "compat-renamed" in _names(parse_table(murano("environment-list").stdout))

    session = parse_properties(murano("environment-session-create", env_id).stdout)["id"]
    pending = parse_properties(murano("environment-show", env_id, "--session-id", session).stdout)
    assert pending["status"] == "pending"

    model = json.loads(murano("environment-model-show", env_id, "--session-id", session).stdout)
    assert model["?"]["type"] == "io.murano.Environment"
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps([{"op": "replace", "path": "/region", "value": "RegionTwo"}]))
    murano("environment-model-edit", env_id, str(patch), "--session-id", session)
    region = murano("environment-model-show", env_id, "--path", "/region", "--session-id", session)
    assert "RegionTwo" in region.stdout

    murano("environment-delete", env_id)
    assert env_id not in {r["ID"] for r in parse_table(murano("environment-list").stdout)}
    assert api.get(f"/v1/environments/{env_id}", headers={"X-Auth-Token": ADMIN}).status_code == 404


def test_environment_other_project_is_hidden(murano) -> None:
    env_id = parse_table(murano("environment-create", "private-env").stdout)[0]["ID"]
    other = murano("environment-show", env_id, token="bob:proj-b:member", check=False)
    assert other.returncode != 0
    assert "private-env" not in other.stdout
    assert env_id not in murano("environment-list", token="bob:proj-b:member").stdout


def test_category_lifecycle(murano) -> None:
    created = parse_table(murano("category-create", "Compat Tools", token=ADMIN).stdout)
    cat_id = created[0]["ID"]
    listed = parse_table(murano("category-list").stdout)
    assert "Compat Tools" in _names(listed) and "Web" in _names(listed)
    shown = parse_properties(murano("category-show", cat_id).stdout)
    assert shown["name"] == "Compat Tools"
    denied = murano("category-create", "Not Allowed", check=False)
    assert denied.returncode != 0
    assert "Not Allowed" not in _names(parse_table(murano("category-list").stdout))
    murano("category-delete", cat_id, token=ADMIN)
    assert "Compat Tools" not in _names(parse_table(murano("category-list").stdout))


def test_package_lifecycle(murano, tmp_path: Path) -> None:
    fqn = "org.fornace.compat.Hello"
    archive = tmp_path / f"{fqn}.zip"
    archive.write_bytes(package_zip(fqn, name="Compat Hello", tags=["compat"],
                                    ui=DEFAULT_UI.format(fqn=fqn)))
    imported = murano("package-import", str(archive), "-c", "Web")
    rows = parse_table(imported.stdout)
    assert rows and rows[0]["FQN"] == fqn
    pkg_id = rows[0]["ID"]

    assert fqn in {r["FQN"] for r in parse_table(murano("package-list").stdout)}
    props = parse_properties(murano("package-show", pkg_id).stdout)
    assert props["fully_qualified_name"] == fqn
    assert props["categories"] == "Web" and "compat" in props["tags"]
    assert props["class_definitions"] == fqn and props["owner_id"] == "proj-a"

    out = tmp_path / "downloaded.zip"
    murano("package-download", pkg_id, str(out))
    assert out.read_bytes() == archive.read_bytes()

    murano("package-update", pkg_id, "--name", "Renamed Hello", "--tags", "a", "b")
    props = parse_properties(murano("package-show", pkg_id).stdout)
    assert props["name"] == "Renamed Hello" and props["tags"] == "a, b"

    again = murano("package-import", "--exists-action", "s", str(archive))
    assert "already registered" in again.stdout + again.stderr
    assert [r["FQN"] for r in parse_table(murano("package-list").stdout)].count(fqn) == 1

    murano("package-delete", pkg_id)
    assert fqn not in {r["FQN"] for r in parse_table(murano("package-list").stdout)}


def test_template_lifecycle(murano, tmp_path: Path) -> None:
    created = parse_table(murano("env-template-create", "compat-tpl").stdout)
    tpl_id = created[0]["ID"]
    app = {"?": {"id": "a" * 32, "type": "org.fornace.compat.Hello"}, "name": "hello"}
    app_file = tmp_path / "apps.json"
    app_file.write_text(json.dumps([app]))
    murano("env-template-add-app", tpl_id, str(app_file))
    shown = murano("env-template-show", tpl_id).stdout
    assert "a" * 32 in shown

    env = parse_properties(murano("env-template-create-env", tpl_id, "from-tpl").stdout)
    env_id = env["environment_id"]
    session = env["session_id"]
    services = murano("environment-show", env_id, "--session-id", session).stdout
    assert "org.fornace.compat.Hello" in services

    murano("env-template-update", tpl_id, "compat-tpl-public")
    clone = murano("env-template-clone", tpl_id, "compat-clone", check=False)
    # Only public templates can be cloned (Murano's rule).
    assert clone.returncode != 0
    murano("env-template-delete", tpl_id)
    assert tpl_id not in murano("env-template-list").stdout


def test_deploy_creates_a_running_deployment(murano, tmp_path: Path) -> None:
    env_id = parse_table(murano("environment-create", "deploy-env").stdout)[0]["ID"]
    session = parse_properties(murano("environment-session-create", env_id).stdout)["id"]
    patch = tmp_path / "apps.json"
    patch.write_text(json.dumps([{"op": "add", "path": "/-", "value": {
        "?": {"id": "b" * 32, "type": "org.fornace.compat.Hello"}, "name": "hello"}}]))
    murano("environment-apps-edit", "--session-id", session, env_id, str(patch))
    deployed = parse_properties(murano("environment-deploy", "--session-id", session, env_id).stdout)
    assert deployed["status"] == "deploying" and deployed["acquired_by"] == session
    rows = parse_table(murano("deployment-list", env_id).stdout)
    assert len(rows) == 1 and rows[0]["State"] == "running"
