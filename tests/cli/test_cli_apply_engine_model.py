"""apply/diff against a model the engine has rewritten: still no changes."""

from __future__ import annotations

from pathlib import Path

from fornace.cli._manifest import load_manifest, plan

FILE = """\
environment: demo
applications:
  - name: web
    type: com.example.Web
    id: aaaa0000000000000000000000000001
    properties:
      port: 8080
      servers:
        "?":
          type: io.murano.applications.ServerReplicationGroup
          id: aaaa0000000000000000000000000002
        numItems: 2
"""


def engine_rewritten(port: int = 8080, items: int = 2) -> dict:
    return {"?": {"type": "com.example.Web/1.0.0@com.example.Web",
                  "id": "aaaa0000000000000000000000000001", "name": "web", "_actions": {}},
            "port": port, "urls": ["http://10.0.0.2:8080/"],
            "servers": {"?": {"type": "io.murano.applications.ServerReplicationGroup/0.1.0@"
                                      "io.murano.applications",
                              "id": "aaaa0000000000000000000000000002", "name": None},
                        "numItems": items, "items": [{"name": "web1"}], "minItems": 0}}


def test_engine_outputs_and_versioned_types_are_not_changes(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(FILE)
    assert plan(load_manifest(path), [engine_rewritten()]) == []


def test_a_changed_nested_value_is_an_update(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(FILE)
    (change,) = plan(load_manifest(path), [engine_rewritten(items=3)])
    assert change.op == "update" and set(change.fields) == {"servers"}
    assert change.body is not None
    assert change.body["?"] == {"type": "com.example.Web", "id": "aaaa0000000000000000000000000001",
                                "name": "web"}
    assert change.body["urls"] == ["http://10.0.0.2:8080/"]  # engine outputs are kept
