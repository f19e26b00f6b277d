"""The declarative file of ``fornace apply`` / ``fornace diff`` and the plan between it
and an environment (format documented in docs/cli.md)::

    environment: shop            # the environment's name (required)
    region: RegionOne            # used only when the environment is created
    defaultNetworks: null        # likewise; omit it for the server's default
    applications:
      - name: web                # required, unique: apply matches applications by name
        type: com.example.apache.ApacheHttpServer   # class FQN (required)
        id: 5f9b...              # optional object id (kept stable across applies)
        properties:              # the application's properties
          enablePHP: true

The file is authoritative for the applications it lists and the properties it
names: a listed application missing from the environment is added, one whose
named properties (or type) differ is updated, and an application of the
environment not in the file is removed. Properties the file does not name
(outputs the engine writes, say) are left alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fornace.errors import InvalidInput

_TOP_KEYS = {"environment", "region", "defaultNetworks", "applications"}
_APP_KEYS = {"name", "type", "id", "properties"}


@dataclass(frozen=True)
class DesiredApp:
    name: str
    type: str
    id: str | None
    properties: dict[str, Any]


@dataclass(frozen=True)
class Manifest:
    environment: str
    region: str | None
    default_networks: Any            # ... when absent
    applications: tuple[DesiredApp, ...]


@dataclass(frozen=True)
class Change:
    op: str                          # create-environment | add | update | remove
    name: str
    type: str = ""
    app_id: str = ""
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)   # key -> (old, new)
    body: dict[str, Any] = field(default_factory=dict)                  # object to send

    def describe(self) -> str:
        if self.op == "create-environment":
            return f"+ environment {self.name}"
        if self.op == "add":
            return f"+ application {self.name} ({self.type})"
        if self.op == "remove":
            return f"- application {self.name} ({self.type}) {self.app_id}"
        parts = [f"~ application {self.name} {self.app_id}"]
        parts += [f"    {k}: {old!r} -> {new!r}" for k, (old, new) in sorted(self.fields.items())]
        return "\n".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {"op": self.op, "name": self.name, "type": self.type, "id": self.app_id,
                "fields": {k: {"old": o, "new": n} for k, (o, n) in self.fields.items()}}


def _fail(path: Path, message: str) -> InvalidInput:
    return InvalidInput(f"{path}: {message}",
                        hint="see docs/cli.md, 'The apply file' for the format",
                        reference="apply-file-invalid")


def load_manifest(path: Path) -> Manifest:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise _fail(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(path, "must be a mapping with 'environment' and 'applications'")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(path, f"unknown keys {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}")
    name = data.get("environment")
    if not isinstance(name, str) or not name.strip():
        raise _fail(path, "'environment' (the environment's name) is required")
    apps_data = data.get("applications") or []
    if not isinstance(apps_data, list):
        raise _fail(path, "'applications' must be a list")
    apps: list[DesiredApp] = []
    for index, item in enumerate(apps_data):
        where = f"applications[{index}]"
        if not isinstance(item, dict):
            raise _fail(path, f"{where} must be a mapping")
        unknown = set(item) - _APP_KEYS
        if unknown:
            raise _fail(path, f"{where}: unknown keys {sorted(unknown)}")
        app_name, app_type = item.get("name"), item.get("type")
        if not isinstance(app_name, str) or not app_name:
            raise _fail(path, f"{where}: 'name' is required")
        if not isinstance(app_type, str) or not app_type:
            raise _fail(path, f"{where}: 'type' (a class FQN) is required")
        props = item.get("properties") or {}
        if not isinstance(props, dict) or "?" in props or "name" in props:
            raise _fail(path, f"{where}: 'properties' must be a mapping without '?' or 'name'")
        app_id = item.get("id")
        if app_id is not None and not isinstance(app_id, str):
            raise _fail(path, f"{where}: 'id' must be a string")
        if any(a.name == app_name for a in apps):
            raise _fail(path, f"{where}: the name '{app_name}' is used twice")
        apps.append(DesiredApp(app_name, app_type, app_id, dict(props)))
    region = data.get("region")
    return Manifest(environment=name, region=str(region) if region else None,
                    default_networks=data.get("defaultNetworks", ...),
                    applications=tuple(apps))


def _header(app: dict[str, Any]) -> dict[str, Any]:
    header = app.get("?")
    return header if isinstance(header, dict) else {}


def class_name(type_ref: object) -> str:
    """The class FQN of a type reference: the engine writes ``fqn/version@package``."""
    return str(type_ref or "").split("/", 1)[0].split("@", 1)[0]


def _matches(existing: Any, wanted: Any) -> bool:
    """Whether the file's value is already in place. Dicts compare on the keys the file
    names (the engine adds outputs and defaults); ``?`` headers on id and class."""
    if isinstance(wanted, dict) and isinstance(existing, dict):
        for key, value in wanted.items():
            if key == "?" and isinstance(value, dict):
                head = existing.get("?") if isinstance(existing.get("?"), dict) else {}
                if value.get("id") not in (None, head.get("id")):
                    return False
                if value.get("type") and class_name(value["type"]) != class_name(head.get("type")):
                    return False
            elif not _matches(existing.get(key), value):
                return False
        return True
    if isinstance(wanted, list) and isinstance(existing, list):
        return len(wanted) == len(existing) and all(
            _matches(e, w) for e, w in zip(existing, wanted, strict=True))
    return bool(existing == wanted)


def _app_name(app: dict[str, Any]) -> Any:
    return _header(app).get("name") or app.get("name")


def plan(manifest: Manifest, current: list[dict[str, Any]] | None) -> list[Change]:
    """Changes turning ``current`` services (None: no environment) into the manifest."""
    changes: list[Change] = []
    if current is None:
        changes.append(Change("create-environment", manifest.environment))
        current = []
    by_id = {str(_header(a).get("id")): a for a in current}
    by_name = {_app_name(a): a for a in current}
    matched: set[str] = set()
    for desired in manifest.applications:
        existing = by_id.get(desired.id) if desired.id else by_name.get(desired.name)
        if existing is None:
            body = {"?": {"type": desired.type, "id": desired.id or uuid.uuid4().hex,
                          "name": desired.name},
                    "name": desired.name, **desired.properties}
            changes.append(Change("add", desired.name, desired.type, body["?"]["id"],
                                  body=body))
            continue
        app_id = str(_header(existing).get("id"))
        matched.add(app_id)
        wanted = dict(desired.properties)
        diff = {k: (existing.get(k), v) for k, v in wanted.items()
                if not _matches(existing.get(k), v)}
        if _app_name(existing) != desired.name:
            diff["name"] = (_app_name(existing), desired.name)
        if class_name(_header(existing).get("type")) != desired.type:
            diff["?.type"] = (_header(existing).get("type"), desired.type)
        if diff:
            body = {k: v for k, v in existing.items() if k != "?"}
            body.update(wanted)
            body["name"] = desired.name
            body["?"] = {"type": desired.type, "id": app_id, "name": desired.name}
            changes.append(Change("update", desired.name, desired.type, app_id, diff, body))
    for app in current:
        app_id = str(_header(app).get("id"))
        if app_id not in matched:
            changes.append(Change("remove", str(app.get("name") or ""),
                                  str(_header(app).get("type") or ""), app_id))
    return changes
