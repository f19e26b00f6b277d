"""Package formats by ``Format`` name and version (Murano's format registry)."""

from __future__ import annotations

from typing import Final

import semantic_version

from fornace.catalog.errors import PackageError
from fornace.catalog.formats.base import ClassDefinition, FormatContent, PackageFormat
from fornace.catalog.formats.hot import HotFormat
from fornace.catalog.formats.muranopl import MuranoPlFormat
from fornace.catalog.manifest import MANIFEST, Manifest

MURANOPL_VERSIONS: Final = ("1.0", "1.1", "1.2", "1.3", "1.4")

_REGISTRY: dict[tuple[str, str], PackageFormat] = {}


def register_format(format_string: str, handler: PackageFormat) -> None:
    name, _, version = format_string.rpartition("/")
    _REGISTRY[(name, str(semantic_version.Version.coerce(version)))] = handler


for _version in MURANOPL_VERSIONS:
    register_format(f"MuranoPL/{_version}", MuranoPlFormat())
register_format("Heat.HOT/1.0", HotFormat())


def supported_formats() -> list[str]:
    return sorted(f"{name}/{version}" for name, version in _REGISTRY)


def format_handler(manifest: Manifest) -> PackageFormat:
    handler = _REGISTRY.get((manifest.format_name, manifest.format_version))
    if handler is None:
        raise PackageError(
            f"Unsupported format {manifest.format}", file=MANIFEST,
            hint="use one of: " + ", ".join(supported_formats()))
    return handler


__all__ = ["ClassDefinition", "FormatContent", "PackageFormat", "format_handler",
           "register_format", "supported_formats"]
