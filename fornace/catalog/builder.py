"""Building package archives (``fornace package-create``), like ``murano package-create``.

Three sources: a complete package folder (zipped and validated), a Heat
template plus metadata (a Heat.HOT/1.0 package), or a folder of MuranoPL
classes plus a UI definition (a MuranoPL package whose manifest is inferred
from the classes). Every result goes through :func:`load_package` before it is
returned, so a built archive is always one the API accepts.
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from fornace.catalog.archive import ArchiveLimits, build_archive, read_folder
from fornace.catalog.errors import PackageError
from fornace.catalog.formats.muranopl import resolve_class_name
from fornace.catalog.loader import load_package
from fornace.catalog.package import LoadedPackage
from fornace.catalog.yaml_loader import PackageYamlError, dump_yaml, load_yaml, load_yaml_documents

GENERATED_PREFIX: Final = "io.murano.apps.generated"
APPLICATION_BASE: Final = "io.murano.Application"


@dataclass(frozen=True)
class PackageMetadata:
    """Manifest values given on the command line (None = infer or default)."""

    name: str | None = None
    full_name: str | None = None
    description: str | None = None
    author: str | None = None
    tags: Sequence[str] = ()
    type: str | None = None


def _finish(files: dict[str, bytes], limits: ArchiveLimits) -> tuple[bytes, LoadedPackage]:
    archive = build_archive(files)
    return archive, load_package(archive, limits=limits)


def _add_folder(files: dict[str, bytes], folder: Path | None, prefix: str,
                limits: ArchiveLimits) -> None:
    if folder is None:
        return
    if not folder.is_dir():
        raise PackageError(f"{folder} is not a folder", hint="give an existing folder")
    for rel, content in read_folder(folder, limits).items():
        files[prefix + rel] = content


def _author(author: str | None) -> str:
    if author:
        return author
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "OpenStack"


def build_package_folder(folder: str | Path, *, limits: ArchiveLimits | None = None
                         ) -> tuple[bytes, LoadedPackage]:
    """Zip a package folder and validate it."""
    limits = limits or ArchiveLimits()
    return _finish(read_folder(Path(folder), limits), limits)


def generated_full_name(display_name: str) -> str:
    words = display_name.replace("_", " ").replace("-", " ").title().replace(" ", "")
    return f"{GENERATED_PREFIX}.{words}"


def build_hot_package(template: str | Path, metadata: PackageMetadata = PackageMetadata(), *,
                      logo: str | Path | None = None, resources_dir: str | Path | None = None,
                      limits: ArchiveLimits | None = None) -> tuple[bytes, LoadedPackage]:
    """A Heat.HOT/1.0 package from a template (defaults as Murano's client)."""
    limits = limits or ArchiveLimits()
    path = Path(template)
    if not path.is_file():
        raise PackageError(f"template {path} does not exist", hint="give a HOT template file")
    content = path.read_bytes()
    try:
        hot = load_yaml(content)
    except PackageYamlError as exc:
        raise PackageError(str(exc), file=path.name, hint="give a valid YAML template") from exc
    name = metadata.name or path.stem
    description = metadata.description or (hot.get("description") if isinstance(hot, dict)
                                           else None) or (
        f'Heat-defined application for a template "{path.name}"')
    manifest: dict[str, Any] = {
        "Format": "Heat.HOT/1.0", "Type": "Application",
        "FullName": metadata.full_name or generated_full_name(name), "Name": name,
        "Description": description, "Author": _author(metadata.author),
        "Tags": list(metadata.tags) or ["Heat-generated"],
    }
    files = {"manifest.yaml": dump_yaml(manifest).encode(), "template.yaml": content}
    _add_folder(files, Path(resources_dir) if resources_dir else None, "Resources/", limits)
    if logo is not None:
        files["logo.png"] = Path(logo).read_bytes()
    return _finish(files, limits)


def _scan_classes(classes_dir: Path, limits: ArchiveLimits) -> tuple[dict[str, str], str | None]:
    """``({class FQN: path under Classes/}, FQN of a class extending io.murano.Application)``."""
    classes: dict[str, str] = {}
    application: str | None = None
    for rel, content in sorted(read_folder(classes_dir, limits).items()):
        if not rel.endswith((".yaml", ".yml")):
            continue
        where = f"Classes/{rel}"
        try:
            documents = load_yaml_documents(content)
        except PackageYamlError as exc:
            raise PackageError(str(exc), file=where, hint="fix the YAML syntax") from exc
        for document in documents:
            if not isinstance(document, dict) or not document.get("Name"):
                raise PackageError("class definition has no Name", file=where,
                                   hint="add Name: to every class document")
            namespaces = document.get("Namespaces")
            fqn = resolve_class_name(document["Name"], namespaces, where)
            classes[fqn] = rel
            parents = document.get("Extends")
            parent_list = parents if isinstance(parents, list) else [parents]
            resolved = [resolve_class_name(p, namespaces, where) for p in parent_list if p]
            if application is None and APPLICATION_BASE in resolved:
                application = fqn
    if not classes:
        raise PackageError(f"{classes_dir} holds no MuranoPL class",
                           hint="an application needs at least one class")
    return classes, application


def build_muranopl_package(classes_dir: str | Path, metadata: PackageMetadata = PackageMetadata(),
                           *, ui: str | Path | None = None, logo: str | Path | None = None,
                           resources_dir: str | Path | None = None,
                           limits: ArchiveLimits | None = None) -> tuple[bytes, LoadedPackage]:
    """A MuranoPL package from a classes folder; Type/FullName/Name inferred as Murano did."""
    limits = limits or ArchiveLimits()
    folder = Path(classes_dir)
    if not folder.is_dir():
        raise PackageError(f"{folder} is not a folder", hint="give the folder of class files")
    if metadata.type is not None and metadata.type not in ("Application", "Library"):
        raise PackageError("--type must be Application or Library",
                           hint="use --type Application or --type Library")
    classes, application = _scan_classes(folder, limits)
    package_type = metadata.type or ("Application" if application else None)
    full_name = metadata.full_name or application
    if package_type is None or full_name is None:
        raise PackageError("cannot infer the package Type and FullName from the classes",
                           hint="give --type and --full-name")
    if package_type == "Application" and ui is None:
        raise PackageError("an Application package needs a UI definition",
                           hint="give --ui path/to/ui.yaml")
    manifest: dict[str, Any] = {
        "Format": "MuranoPL/1.0", "Type": package_type, "FullName": full_name,
        "Name": metadata.name or full_name.split(".")[-1],
        "Description": metadata.description or "Description for the application is not "
                                               "provided",
        "Author": _author(metadata.author), "Classes": classes,
    }
    if metadata.tags:
        manifest["Tags"] = list(metadata.tags)
    files = {"manifest.yaml": dump_yaml(manifest).encode()}
    _add_folder(files, folder, "Classes/", limits)
    _add_folder(files, Path(resources_dir) if resources_dir else None, "Resources/", limits)
    if ui is not None:
        files["UI/ui.yaml"] = Path(ui).read_bytes()
    if logo is not None:
        files["logo.png"] = Path(logo).read_bytes()
    return _finish(files, limits)
