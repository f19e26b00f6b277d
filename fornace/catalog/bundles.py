"""Bundle files: ``{"Packages": [{"Name": fqn, "Version": v?, "Url": u?}, ...]}``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fornace.catalog.errors import BundleError
from fornace.catalog.yaml_loader import PackageYamlError, load_yaml


@dataclass(frozen=True)
class BundleEntry:
    name: str
    version: str = ""
    url: str = ""


def parse_bundle(content: bytes, file: str = "bundle") -> list[BundleEntry]:
    """Entries of a bundle (JSON first, then YAML, like Murano's client)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError("not UTF-8 text", file=file, hint="save the bundle as UTF-8") from exc
    try:
        document = json.loads(text)
    except ValueError:
        try:
            document = load_yaml(text)
        except PackageYamlError as exc:
            raise BundleError(f"neither JSON nor YAML: {exc}", file=file,
                              hint='write {"Packages": [{"Name": "com.example.App"}]}') from exc
    if not isinstance(document, dict) or not isinstance(document.get("Packages"), list):
        raise BundleError("a bundle needs a Packages list", file=file,
                          hint='write {"Packages": [{"Name": "com.example.App"}]}')
    entries = []
    for item in document["Packages"]:
        if not isinstance(item, dict) or not item.get("Name"):
            continue  # Murano's client skips entries without a Name
        version = item.get("Version")
        entries.append(BundleEntry(name=str(item["Name"]),
                                   version="" if version is None else str(version),
                                   url=str(item.get("Url") or "")))
    return entries
