"""Checks on a dynamic UI definition (``UI/ui.yaml``) at upload time.

The dashboard accepts Version 2 up to 2.4 (default 2.4 when absent) and needs
an ``Application`` section; ``Forms`` is an ordered list of single-key maps.
"""

from __future__ import annotations

from typing import Any, Final

import semantic_version

from fornace.catalog.errors import PackageError
from fornace.catalog.yaml_loader import PackageYamlError, load_yaml

LATEST_UI_VERSION: Final = semantic_version.Version("2.4.0")


def ui_version(document: dict[str, Any], file: str) -> semantic_version.Version:
    raw = document.get("Version", str(LATEST_UI_VERSION))
    try:
        version = semantic_version.Version.coerce(str(raw))
    except ValueError as exc:
        raise PackageError(f"UI definition Version {raw!r} is not a version", file=file,
                           hint="use Version: 2.4") from exc
    if version.major != 2 or version > LATEST_UI_VERSION:
        raise PackageError(
            f"Unsupported UI definition Version {raw}; supported are 2.0 to 2.4", file=file,
            hint="upgrade the UI definition to Version 2.x (see docs/catalog.md)")
    return version


def check_ui_definition(content: bytes, file: str) -> str:
    """The UI text, once it decodes, parses and declares a supported Version."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError("not UTF-8 text", file=file, hint="save the file as UTF-8") from exc
    try:
        document = load_yaml(text)
    except PackageYamlError as exc:
        raise PackageError(str(exc), file=file, hint="fix the YAML syntax") from exc
    if not isinstance(document, dict):
        raise PackageError("UI definition must be a mapping", file=file,
                           hint="start with Version: 2.4 and an Application section")
    ui_version(document, file)
    if "Application" not in document:
        raise PackageError("UI definition has no Application section", file=file,
                           hint="add the object model to create under Application:")
    forms = document.get("Forms")
    if forms is not None and (not isinstance(forms, list) or not all(
            isinstance(f, dict) and len(f) == 1 for f in forms)):
        raise PackageError("Forms must be a list of single-key mappings", file=file,
                           hint="write Forms: [- formName: {fields: [...]}]")
    return text
