"""The seam between the generic loader and one package format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from fornace.catalog.manifest import Manifest


@dataclass(frozen=True)
class ClassDefinition:
    """One MuranoPL class as found in a package (or generated from a Heat template)."""

    name: str                  # the class FQN (manifest key)
    file: str                  # path inside the package, "<generated code>" for HOT
    document: dict[str, Any]   # the parsed YAML document of that class (!yaql kept as data)
    text: str                  # the whole file (all its documents), for loaders with positions


@dataclass(frozen=True)
class FormatContent:
    """What a format handler extracts from a package beyond the common manifest keys."""

    classes: dict[str, str]                        # class FQN -> path inside the package
    definitions: dict[str, ClassDefinition]
    requirements: dict[str, str]                   # package FQN -> version spec ("" = any)
    ui_definition: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    generated: dict[str, bytes] = field(default_factory=dict)  # files the format adds


class PackageFormat(Protocol):
    """A handler of one ``Format`` (name and version range)."""

    name: str

    def read(self, manifest: Manifest, files: dict[str, bytes]) -> FormatContent: ...
