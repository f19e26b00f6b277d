"""Package bodies: the upload metadata, the PATCH document, the list query, the dicts.

The two input schemas are Murano's (JSON Schema), so clients get the same
answers: only tags, categories, description, name, is_public and enabled.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from typing import Any, Final

import jsonschema
from pydantic import BaseModel

from fornace.api.schemas._paging import parse_limit, parse_sort_dir
from fornace.db.repositories.package_search import ORDER_COLUMNS, PackageQuery
from fornace.db.repositories.packages import PackageChange, UploadOptions, semver
from fornace.errors import Forbidden, InvalidInput

log = logging.getLogger(__name__)

PATCH_CONTENT_TYPE: Final = "application/murano-packages-json-patch"

_NAMES: Final = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
METADATA_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "tags": _NAMES,
        "categories": _NAMES,
        "description": {"type": "string"},
        "name": {"type": "string"},
        "is_public": {"type": "boolean"},
        "enabled": {"type": "boolean"},
    },
    "additionalProperties": False,
}
# Which operations each PATCH path allows (any other path or operation: 403).
PATCH_OPERATIONS: Final[dict[str, tuple[str, ...]]] = {
    "categories": ("add", "replace", "remove"),
    "tags": ("add", "replace", "remove"),
    "is_public": ("replace",),
    "enabled": ("replace",),
    "description": ("replace",),
    "name": ("replace",),
}


class PackageOut(BaseModel):
    """Murano's package dict, plus ``version`` (Fornace keeps versions side by side)."""

    id: str
    fully_qualified_name: str
    name: str
    version: str
    type: str
    description: str
    author: str
    supplier: dict[str, Any]
    tags: list[str]
    categories: list[str]
    class_definitions: list[str]
    is_public: bool
    enabled: bool
    owner_id: str
    created: str
    updated: str


class PackageList(BaseModel):
    packages: list[PackageOut]
    next_marker: str | None = None


# --- upload -------------------------------------------------------------------------------

def upload_options(metadata: dict[str, Any] | None) -> UploadOptions:
    """Validate the metadata part; only categories, tags, is_public and enabled take effect
    (the manifest wins for name and description, as in Murano)."""
    if not metadata:
        return UploadOptions()
    try:
        jsonschema.validate(metadata, METADATA_SCHEMA)
    except jsonschema.ValidationError as exc:
        raise InvalidInput(f"Package schema is not valid: {exc.message}",
                           hint="the metadata may hold only tags, categories, description, "
                                "name, is_public and enabled",
                           reference="upload-metadata-invalid") from None
    return UploadOptions(categories=tuple(metadata.get("categories", ())),
                         tags=tuple(metadata.get("tags", ())),
                         is_public=bool(metadata.get("is_public", False)),
                         enabled=bool(metadata.get("enabled", True)))


# --- PATCH --------------------------------------------------------------------------------

def _pointer(raw: Any) -> str:
    """The single property a JSON pointer names; nested or malformed pointers are 400."""
    if not isinstance(raw, str) or not raw.startswith("/"):
        raise InvalidInput(f"Pointer `{raw}` does not start with \"/\".",
                           hint='use paths like "/tags" or "/is_public"',
                           reference="patch-invalid")
    if re.search("~[^01]", raw) or raw.endswith("~"):
        raise InvalidInput(f"Pointer `{raw}` contains \"~\", which is not part of a "
                           "recognized escape sequence.", reference="patch-invalid")
    parts = raw[1:].split("/")
    if len(parts) > 1:
        raise InvalidInput("Nested paths are not allowed",
                           hint='change the whole list, e.g. {"op": "add", "path": "/tags", '
                                '"value": ["new"]}', reference="patch-invalid")
    return parts[0].replace("~1", "/").replace("~0", "~").strip()


def _change(raw: Any) -> PackageChange:
    if not isinstance(raw, dict):
        raise InvalidInput("Operations must be JSON objects.", reference="patch-invalid")
    for member in ("op", "path"):
        if member not in raw:
            raise InvalidInput(f"Unable to find '{member}' in JSON Schema change",
                               reference="patch-invalid")
    op, path = raw["op"], _pointer(raw["path"])
    allowed = PATCH_OPERATIONS.get(path)
    if allowed is None:
        raise Forbidden(f"Attribute '{path}' is invalid",
                        hint="only /tags, /categories, /is_public, /enabled, /name and "
                             "/description can be changed", reference="patch-path-forbidden")
    if op not in allowed:
        raise Forbidden(f"Method '{op}' is not allowed for a path with name '{path}'. "
                        f"Allowed operations are: {', '.join(allowed)}",
                        reference="patch-op-forbidden")
    if "value" not in raw:
        raise InvalidInput(f'Operation "{op}" requires a member named "value".',
                           hint="every operation needs a value, remove included "
                                '(e.g. {"op": "remove", "path": "/tags", "value": ["old"]})',
                           reference="patch-invalid")
    try:
        jsonschema.validate(raw["value"], METADATA_SCHEMA["properties"][path])
    except jsonschema.ValidationError as exc:
        raise InvalidInput(f"/{path}: {exc.message}", reference="patch-invalid") from None
    return PackageChange(op=op, path=path, value=raw["value"])


def parse_package_patch(body: bytes) -> list[PackageChange]:
    try:
        document = json.loads(body)
    except ValueError:
        raise InvalidInput("cannot understand JSON",
                           hint='send a JSON list such as [{"op": "replace", "path": '
                                '"/enabled", "value": false}]',
                           reference="patch-invalid") from None
    if not isinstance(document, list):
        raise InvalidInput("JSON-patch must be a list.", reference="patch-invalid")
    return [_change(raw) for raw in document]


# --- list query ---------------------------------------------------------------------------

def split_for_quotes(value: str) -> list[str]:
    """The values of an ``in:`` operator: comma-separated, double quotes protect commas
    (``a,"b,c"`` -> ``["a", "b,c"]``, ``\\"`` is a literal quote). ValueError if malformed."""
    values: list[str] = []
    i, n = 0, len(value)
    while i < n:
        if value[i] == '"':
            j, buf = i + 1, []
            while j < n and value[j] != '"':
                if value.startswith('\\"', j):
                    j += 1
                buf.append(value[j])
                j += 1
            if j >= n:
                raise ValueError(f"Invalid filter value {value}. The quote is not closed.")
            if j + 1 < n and value[j + 1] != ",":
                raise ValueError(f"Invalid filter value {value}. There is no comma after "
                                 "closing quotation mark.")
            values.append("".join(buf))
            i = j + 2
            continue
        end = value.find(",", i)
        end = n if end < 0 else end
        item = value[i:end]
        if '"' in item:
            raise ValueError(f"Invalid filter value {value}. There is no comma before "
                             "opening quotation mark.")
        values.append(item)
        i = end + 1
    return values


def version_spellings(value: str) -> tuple[str, ...]:
    """``version=`` as sent (muranoclient sends the manifest's Version, ``0`` when absent)
    and as semver, the form packages are stored in (``1.0`` -> ``1.0.0``)."""
    return tuple(dict.fromkeys((value, semver(value))))


def _true(value: str | None) -> bool:
    return (value or "").lower() == "true"


def parse_package_query(items: Iterable[tuple[str, str]], *, limit_default: int,
                        limit_max: int) -> PackageQuery:
    """Murano's recognised parameters; the others are ignored (with a log line)."""
    single: dict[str, str] = {}
    lists: dict[str, list[str]] = {"id": [], "category": [], "tag": [], "order_by": []}
    for key, value in items:
        if key in ("id", "category", "tag"):
            if value.startswith("in:"):
                try:
                    lists[key].extend(split_for_quotes(value[3:]))
                except ValueError as exc:
                    log.warning("skipping the filter %s: %s", key, exc)
            else:
                lists[key].append(value)
        elif key == "order_by":
            if value in ORDER_COLUMNS:
                lists[key].append(value)
            else:
                log.warning("skipping order_by=%r: allowed values are %s", value,
                            ", ".join(ORDER_COLUMNS))
        elif key in ("catalog", "include_disabled", "owned", "type", "class_name", "fqn",
                     "name", "version", "search", "sort_dir", "limit", "marker"):
            single[key] = value
        else:
            log.warning("search by parameter %r is not supported; skipping it", key)
    words = re.split("[,;]", single["search"]) if "search" in single else []
    return PackageQuery(
        catalog=_true(single.get("catalog")),
        include_disabled=_true(single.get("include_disabled")),
        owned=_true(single.get("owned")),
        type=single["type"].title() if "type" in single else None,
        ids=tuple(lists["id"]), categories=tuple(lists["category"]), tags=tuple(lists["tag"]),
        class_name=single.get("class_name"), fqn=single.get("fqn"), name=single.get("name"),
        versions=version_spellings(single["version"]) if "version" in single else (),
        search=tuple(w.strip() for w in words if w.strip()),
        order_by=tuple(lists["order_by"]) or ("name",),
        sort_dir=parse_sort_dir(single.get("sort_dir")),
        limit=parse_limit(single.get("limit"), default=limit_default,
                          maximum=limit_max) or limit_default,
        marker=single.get("marker"),
    )
