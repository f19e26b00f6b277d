"""Minimal package reader (to be replaced by the full catalog implementation)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import yaml

from fornace.catalog.errors import PackageError
from fornace.catalog.package import LoadedPackage

FQN_RE = re.compile(r"^[\w.]+$")
DEFAULT_SIZE_LIMIT = 5 * 1024 * 1024


def load_package(data: bytes, *, size_limit: int = DEFAULT_SIZE_LIMIT) -> LoadedPackage:
    if len(data) > size_limit:
        raise PackageError(f"the archive is {len(data)} bytes, over the {size_limit} byte limit")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PackageError("not a zip archive", hint="upload the package as a .zip file") from exc
    try:
        manifest_raw = zf.read("manifest.yaml")
    except KeyError as exc:
        raise PackageError("Unable to find package manifest", file="manifest.yaml") from exc
    try:
        manifest: Any = yaml.safe_load(manifest_raw)
    except yaml.YAMLError as exc:
        raise PackageError(f"not valid YAML: {exc}", file="manifest.yaml") from exc
    if not isinstance(manifest, dict):
        raise PackageError("must be a mapping", file="manifest.yaml")
    fmt = str(manifest.get("Format", "MuranoPL/1.0"))
    if fmt[:1].isdigit():
        fmt = f"MuranoPL/{fmt}"
    fqn = manifest.get("FullName")
    if not isinstance(fqn, str) or not FQN_RE.match(fqn) or fqn.startswith(".") or ".." in fqn:
        raise PackageError("FullName is missing or invalid", file="manifest.yaml")
    ptype = manifest.get("Type")
    if ptype not in ("Application", "Library"):
        raise PackageError("Type must be Application or Library", file="manifest.yaml")
    ui_name = manifest.get("UI", "ui.yaml")
    try:
        ui = zf.read(f"UI/{ui_name}").decode()
    except KeyError:
        ui = None
    try:
        logo: bytes | None = zf.read(manifest.get("Logo", "logo.png"))
    except KeyError:
        logo = None
    return LoadedPackage(
        format=fmt,
        fully_qualified_name=fqn,
        name=str(manifest.get("Name") or fqn),
        version=str(manifest.get("Version") or "0.0.0"),
        type=ptype,
        description=str(manifest.get("Description") or "The description is not provided"),
        author=str(manifest.get("Author") or "OpenStack"),
        supplier=dict(manifest.get("Supplier") or {}),
        tags=tuple(str(t) for t in manifest.get("Tags") or ()),
        requirements={str(k): str(v or "") for k, v in (manifest.get("Require") or {}).items()},
        classes={str(k): str(v) for k, v in (manifest.get("Classes") or {}).items()},
        ui_definition=ui,
        logo=logo,
        supplier_logo=None,
        archive=data,
    )
