"""``manifest.yaml``: parsing and the validation rules Murano applied to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

import semantic_version

from fornace.catalog.errors import PackageError
from fornace.catalog.yaml_loader import PackageYamlError, load_yaml

MANIFEST: Final = "manifest.yaml"
DEFAULT_FORMAT: Final = "MuranoPL/1.0"
PACKAGE_TYPES: Final = ("Application", "Library")
FQN_RE: Final = re.compile(r"^[\w.]+$")
MAX_NAME_LENGTH: Final = 80


@dataclass(frozen=True)
class Manifest:
    """The manifest's fields after validation; ``raw`` keeps the document as written."""

    format: str                      # normalised "<name>/<version>", e.g. "MuranoPL/1.3"
    format_name: str                 # "MuranoPL", "Heat.HOT"
    format_version: str              # "1.3.0" (semver text)
    full_name: str
    type: str
    name: str
    version: str
    description: str | None
    author: str | None
    supplier: dict[str, Any]
    tags: tuple[str, ...]
    logo: str | None
    raw: dict[str, Any] = field(default_factory=dict)


def _fail(message: str, hint: str | None = None) -> PackageError:
    return PackageError(message, file=MANIFEST, hint=hint)


def normalize_format(value: object) -> tuple[str, str, str]:
    """``(format, name, version)``: missing = MuranoPL/1.0, a bare ``1.x`` = MuranoPL/1.x."""
    text = DEFAULT_FORMAT if value is None or value == "" else str(value)
    if text[:1].isdigit():
        text = f"MuranoPL/{text}"
    name, sep, version_text = text.rpartition("/")
    if not sep or not name or not version_text:
        raise _fail(f"Format {text!r} is not of the form <name>/<version>",
                    hint='use e.g. "Format: MuranoPL/1.3" or "Format: Heat.HOT/1.0"')
    try:
        version = semantic_version.Version.coerce(version_text)
    except ValueError as exc:
        raise _fail(f"Format {text!r} has an invalid version",
                    hint='use e.g. "Format: MuranoPL/1.3"') from exc
    return f"{name}/{version_text}", name, str(version)


def check_full_name(full_name: object) -> str:
    if full_name is None or full_name == "":
        raise _fail("FullName is not specified", hint='add "FullName: com.example.Demo"')
    if not isinstance(full_name, str):
        raise _fail(f"FullName must be a string, not {type(full_name).__name__}",
                    hint='use a dotted name such as "com.example.Demo"')
    if (not FQN_RE.match(full_name) or full_name.startswith(".")
            or full_name.endswith(".") or ".." in full_name):
        raise _fail(f"Invalid FullName {full_name!r}",
                    hint="use letters, digits, '_' and single dots, e.g. com.example.Demo")
    return full_name


def parse_version(value: object) -> str:
    if value is None or value == "":
        return "0.0.0"
    try:
        return str(semantic_version.Version.coerce(str(value)))
    except ValueError as exc:
        raise _fail(f"Version {value!r} is not a semantic version",
                    hint='use e.g. "Version: 1.0.0"') from exc


def _optional_text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise _fail(f"{key} must be text, not a {type(value).__name__}",
                    hint=f"write {key} as a plain or quoted string")
    return str(value)


def _tags(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or any(isinstance(t, (dict, list)) for t in value):
        raise _fail("Tags must be a list of strings", hint="write Tags: [tag1, tag2]")
    return tuple(str(t) for t in value)


def parse_manifest(content: bytes | None) -> Manifest:
    """Parse and validate the common keys of every format (Murano's PackageBase)."""
    if content is None:
        raise _fail("Unable to find package manifest",
                    hint="put manifest.yaml at the root of the archive, not in a sub-folder")
    try:
        raw = load_yaml(content)
    except PackageYamlError as exc:
        raise _fail(str(exc), hint="fix manifest.yaml (UTF-8 YAML, one mapping)") from exc
    if not isinstance(raw, dict):
        raise _fail("must be a mapping of keys to values",
                    hint="see docs/catalog.md for the manifest keys")
    fmt, format_name, format_version = normalize_format(raw.get("Format"))
    full_name = check_full_name(raw.get("FullName"))
    package_type = raw.get("Type")
    if package_type is None:
        raise _fail("Type is not specified", hint="add \"Type: Application\" or \"Type: Library\"")
    if package_type not in PACKAGE_TYPES:
        raise _fail(f"Invalid package Type {package_type!r}",
                    hint="set Type to Application or Library")
    name = raw.get("Name")
    name = full_name if name is None or name == "" else str(name)
    if len(name) > MAX_NAME_LENGTH:
        raise _fail(f"Name is {len(name)} characters, over the {MAX_NAME_LENGTH} limit",
                    hint="shorten Name")
    supplier = raw.get("Supplier") or {}
    if not isinstance(supplier, dict):
        raise _fail("Supplier must be a mapping", hint="write Supplier: {Name: ...}")
    logo = raw.get("Logo")
    return Manifest(
        format=fmt, format_name=format_name, format_version=format_version,
        full_name=full_name, type=package_type, name=name,
        version=parse_version(raw.get("Version")),
        description=_optional_text(raw, "Description"),
        author=_optional_text(raw, "Author"),
        supplier=supplier, tags=_tags(raw.get("Tags")),
        logo=None if logo is None else str(logo), raw=raw,
    )
