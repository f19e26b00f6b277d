"""env-template-*, static-action-call and class-schema against a live API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from conftest import Fornace


def test_template_lifecycle(fornace: Fornace, api: httpx.Client, tmp_path: Path) -> None:
    [tpl] = fornace.json("env-template-create", "tpl-a", "--is-public")
    assert api.get(f"/v1/templates/{tpl['id']}").json()["is_public"] is True
    assert [t["id"] for t in fornace.json("env-template-list")] == [tpl["id"]]
    [renamed] = fornace.json("env-template-update", tpl["id"], "tpl-b")
    assert renamed["name"] == "tpl-b"

    apps = tmp_path / "apps.json"
    apps.write_text(json.dumps([
        {"?": {"type": "com.example.A", "id": "a" * 32}, "name": "a"},
        {"?": {"type": "com.example.B", "id": "b" * 32}, "name": "b"}]))
    shown = fornace.json("env-template-add-app", tpl["id"], str(apps))
    assert [s["name"] for s in shown["services"]] == ["a", "b"]
    shown = fornace.json("env-template-del-app", tpl["id"], "a" * 32)
    assert [s["name"] for s in shown["services"]] == ["b"]
    assert fornace.json("env-template-show", tpl["id"])["name"] == "tpl-b"

    created = fornace.json("env-template-create-env", tpl["id"], "from-tpl")
    assert set(created) >= {"environment_id", "session_id"}
    services = api.get(f"/v1/environments/{created['environment_id']}/services",
                       headers={"X-Configuration-Session": created["session_id"]}).json()
    assert [s["name"] for s in services] == ["b"]

    clone = fornace.json("env-template-clone", tpl["id"], "tpl-copy", token="bob:p2")
    assert clone["name"] == "tpl-copy" and clone["id"] != tpl["id"]
    remaining = fornace.json("env-template-delete", tpl["id"])
    assert tpl["id"] not in [t["id"] for t in remaining]
    assert api.get(f"/v1/templates/{tpl['id']}").status_code == 404


class RecordingPublisher:
    """Stands in for an engine for the synchronous calls."""

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.published: list[Any] = []

    def publish(self, task: dict[str, Any]) -> None:
        self.published.append(task)

    def call_static_action(self, task: dict[str, Any], timeout: float) -> Any:
        self.calls.append(task)
        return {"sum": task["action"]["args"]["a"] + task["action"]["args"]["b"]}

    def generate_schema(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        self.calls.append(request)
        return {name: {"type": "object"} for name in request["method_names"]}


def test_static_action_and_class_schema(fornace: Fornace, api_app: Any) -> None:
    without_engine = fornace("static-action-call", "com.example.Calc", "add")
    assert without_engine.exit_code == 8
    assert without_engine.stderr.startswith("Error: ") and "Traceback" not in \
        without_engine.output

    publisher = RecordingPublisher()
    api_app.state.publisher = publisher
    result = fornace.ok("static-action-call", "com.example.Calc", "add", "--arguments", "a=2",
                        "--arguments", "b=3", "--package-name", "com.example.calc")
    assert result.stdout.strip() == 'Static action result: {"sum": 5}'
    action = publisher.calls[-1]["action"]
    assert (action["class_name"], action["method"], action["pkg_name"],
            action["class_version"]) == ("com.example.Calc", "add", "com.example.calc", "=0")
    bad = fornace("static-action-call", "com.example.Calc", "add", "--arguments", "a")
    assert bad.exit_code == 2 and "KEY=VALUE" in bad.stderr

    schema = fornace.json("class-schema", "com.example.Calc", "add", "sub",
                          "--class-version", "1.0")
    assert schema == {"add": {"type": "object"}, "sub": {"type": "object"}}
    assert publisher.calls[-1]["class_version"] == "1.0"
