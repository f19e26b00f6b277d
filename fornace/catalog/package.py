"""What the catalog knows about a package once it has been read and validated.

This is the contract between the catalog and its users (the API's upload
route, the engine's package loader). Readers of archives and folders live in
their own modules and return a LoadedPackage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LoadedPackage:
    format: str                       # normalised, e.g. "MuranoPL/1.3", "Heat.HOT/1.0"
    fully_qualified_name: str
    name: str
    version: str                      # semver text, default "0.0.0"
    type: str                         # "Application" | "Library"
    description: str
    author: str
    supplier: dict[str, Any]
    tags: tuple[str, ...]
    requirements: dict[str, str]      # FQN -> version spec ("" = any)
    classes: dict[str, str]           # class FQN -> path inside the package
    ui_definition: str | None         # UI/ui.yaml text (generated for HOT packages)
    logo: bytes | None
    supplier_logo: bytes | None
    archive: bytes                    # the zip as uploaded (or as built from a folder)
    meta: dict[str, Any] = field(default_factory=dict)
    images: tuple[dict[str, Any], ...] = ()   # images.lst entries (client-side image import)
    format_version: str = ""          # runtime version of the format, e.g. "1.3.0"
