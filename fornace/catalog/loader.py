"""Reading a package (archive bytes or folder) into a validated :class:`LoadedPackage`.

This is the one implementation used by the API upload route, the engine's
package loader and the client-side repository import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from fornace.catalog.archive import (
    DEFAULT_SIZE_LIMIT,
    ArchiveLimits,
    build_archive,
    read_archive,
    read_folder,
)
from fornace.catalog.errors import PackageError
from fornace.catalog.formats import FormatContent, format_handler
from fornace.catalog.logos import load_logo
from fornace.catalog.manifest import MANIFEST, Manifest, parse_manifest
from fornace.catalog.package import LoadedPackage
from fornace.catalog.yaml_loader import PackageYamlError, load_yaml

IMAGES_LIST: Final = "images.lst"
DEFAULT_DESCRIPTION: Final = "The description is not provided"
DEFAULT_AUTHOR: Final = "OpenStack"


@dataclass(frozen=True)
class ReadPackage:
    """Everything learnt while reading one package (the loader's internal result)."""

    package: LoadedPackage
    manifest: Manifest
    content: FormatContent
    files: dict[str, bytes]


def _images(files: dict[str, bytes]) -> tuple[dict[str, Any], ...]:
    if IMAGES_LIST not in files:
        return ()
    try:
        document = load_yaml(files[IMAGES_LIST])
    except PackageYamlError as exc:
        raise PackageError(str(exc), file=IMAGES_LIST, hint="fix the YAML syntax") from exc
    images = (document or {}).get("Images") if isinstance(document, dict) else None
    if not isinstance(images, list) or not all(
            isinstance(i, dict) and isinstance(i.get("Name"), str) for i in images):
        raise PackageError("must hold an Images list whose entries have a Name",
                           file=IMAGES_LIST,
                           hint="write Images: [{Name: ..., DiskFormat: ..., "
                                "ContainerFormat: ...}]")
    return tuple(images)


def read_package(files: dict[str, bytes], archive: bytes) -> ReadPackage:
    """Validate already unpacked ``files``; ``archive`` is what gets stored."""
    manifest = parse_manifest(files.get(MANIFEST))
    content = format_handler(manifest).read(manifest, files)
    supplier_logo_name = manifest.supplier.get("Logo")
    package = LoadedPackage(
        format=manifest.format,
        fully_qualified_name=manifest.full_name,
        name=manifest.name,
        version=manifest.version,
        type=manifest.type,
        description=manifest.description or DEFAULT_DESCRIPTION,
        author=manifest.author or DEFAULT_AUTHOR,
        supplier=dict(manifest.supplier),
        tags=manifest.tags,
        requirements=dict(content.requirements),
        classes=dict(content.classes),
        ui_definition=content.ui_definition,
        logo=load_logo(files, manifest.logo, "logo.png", "logo"),
        supplier_logo=load_logo(files, None if supplier_logo_name is None
                                else str(supplier_logo_name),
                                "supplier_logo.png", "supplier logo"),
        archive=archive,
        meta=dict(content.meta),
        images=_images(files),
        format_version=manifest.format_version,
    )
    return ReadPackage(package=package, manifest=manifest, content=content, files=files)


def read_package_archive(data: bytes, limits: ArchiveLimits) -> ReadPackage:
    return read_package(read_archive(data, limits), data)


def load_package(data: bytes, *, size_limit: int = DEFAULT_SIZE_LIMIT,
                 limits: ArchiveLimits | None = None) -> LoadedPackage:
    """Read and validate a package archive; raises :class:`PackageError` naming the file.

    ``size_limit`` caps the archive bytes (the API passes settings.package_size_limit);
    ``limits`` sets the other caps (unpacked total, entry count, compression ratio) and
    defaults to :class:`ArchiveLimits` with ``size_limit``.
    """
    if limits is None:
        limits = ArchiveLimits(size=size_limit)
    return read_package_archive(data, limits).package


def load_folder(path: str | Path, *, limits: ArchiveLimits | None = None) -> LoadedPackage:
    """Zip a package folder (deterministically) and load it like an upload."""
    limits = limits or ArchiveLimits()
    files = read_folder(Path(path), limits)
    archive = build_archive(files)
    return read_package(read_archive(archive, limits), archive).package
