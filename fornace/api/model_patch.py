"""The environment model PATCH: Murano's pointer rules, allowed ops and value schema.

Pointers are relative to ``Objects``. Root and object ids are read-only; a few
well-known keys may only be replaced; anything else takes add, replace and
remove. Values are checked against the sub-schema of the environment schema.
"""

from __future__ import annotations

import re
from typing import Any

import jsonpatch
import jsonpointer
import jsonschema

from fornace.errors import Forbidden, InvalidInput, NotFound

_STRING = {"type": "string"}
ENV_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "?": {"type": "object",
              "properties": {"id": _STRING, "name": _STRING, "type": _STRING,
                             "_actions": {"type": "object"}},
              "required": ["id", "type"]},
        "name": _STRING,
        "region": {"type": ["string", "null"]},
        "regions": {"type": "object"},
        "defaultNetworks": {
            "type": "object",
            "properties": {
                "environment": {
                    "type": "object",
                    "properties": {
                        "name": _STRING,
                        "?": {"type": "object",
                              "properties": {"type": _STRING, "id": _STRING, "name": _STRING}},
                        "autoUplink": {"type": "boolean"},
                        "externalRouterId": _STRING,
                        "dnsNameServers": {"type": "array"},
                        "autogenerateSubnet": {"type": "boolean"},
                        "subnetCidr": _STRING,
                        "openstackId": _STRING,
                        "regionName": _STRING,
                    },
                    "required": ["name", "?"],
                },
                "flat": {"type": ["boolean", "null"]},
            },
            "required": ["environment", "flat"],
        },
        "services": {"type": "array", "items": {"type": "object"}},
    },
}

NO_OPS: frozenset[str] = frozenset()
REPLACE_ONLY = frozenset({"replace"})
ANY_CHANGE = frozenset({"add", "replace", "remove"})
ALLOWED_OPS: dict[str, frozenset[str]] = {
    "": NO_OPS, "?/id": NO_OPS, "defaultNetworks/environment/?/id": NO_OPS,
    "name": REPLACE_ONLY, "region": REPLACE_ONLY, "?/type": REPLACE_ONLY,
    "defaultNetworks": REPLACE_ONLY, "defaultNetworks/environment": REPLACE_ONLY,
    "defaultNetworks/flat": REPLACE_ONLY,
}
_BAD_TILDE = re.compile(r"~(?![01])")


def _segments(path: Any) -> list[str]:
    if not isinstance(path, str) or not path.startswith("/"):
        raise InvalidInput(f"JSON-patch path {path!r} must be a string starting with '/'")
    if "//" in path or (path.endswith("/") and path != "/") or _BAD_TILDE.search(path):
        raise InvalidInput(f"JSON-patch path {path!r} is malformed: no empty segments, no "
                           "trailing '/', and '~' only as '~0' or '~1'")
    if path == "/":
        return []
    return [s.replace("~1", "/").replace("~0", "~") for s in path[1:].split("/")]


def _sub_schema(segments: list[str]) -> dict[str, Any] | None:
    schema: dict[str, Any] | None = ENV_SCHEMA
    for segment in segments:
        if schema is None:
            return None
        if schema.get("type") == "array":
            schema = schema.get("items")
        else:
            schema = schema.get("properties", {}).get(segment)
    return schema


def check(changes: Any) -> list[dict[str, Any]]:
    """The patch, validated; raises 400 for malformed input and 403 for forbidden ops."""
    if not isinstance(changes, list) or not changes:
        raise InvalidInput("the body must be a non-empty JSON list of patch operations",
                           hint='e.g. [{"op": "replace", "path": "/name", "value": "x"}]')
    for change in changes:
        if not isinstance(change, dict) or not {"op", "path", "value"} <= change.keys():
            raise InvalidInput("every patch operation needs 'op', 'path' and 'value' "
                               "(also 'remove')", reference="patch-incomplete")
        segments = _segments(change["path"])
        joined = "/".join(segments)
        allowed = ALLOWED_OPS.get(joined, ANY_CHANGE)
        if change["op"] not in allowed:
            raise Forbidden(f"Method {change['op']!r} is not allowed for a path with name "
                            f"{joined!r}. Allowed operations are: "
                            f"{', '.join(sorted(allowed)) or 'none'}",
                            reference="patch-op-forbidden")
        schema = _sub_schema(segments)
        if change["op"] != "remove" and schema is not None:
            try:
                jsonschema.validate(change["value"], schema)
            except jsonschema.ValidationError as exc:
                raise InvalidInput(f"invalid value for {change['path']}: {exc.message}",
                                   reference="patch-value-invalid") from exc
    return changes


def apply(objects: Any, changes: list[dict[str, Any]]) -> Any:
    try:
        return jsonpatch.JsonPatch(changes).apply(objects)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError,
            KeyError, IndexError) as exc:
        raise NotFound(f"cannot apply the patch: {exc}", reference="patch-target-missing") \
            from exc
