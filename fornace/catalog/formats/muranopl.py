"""MuranoPL packages (Format MuranoPL/1.0 to 1.4): Classes/, UI/, Require, Meta."""

from __future__ import annotations

import re
from typing import Any, Final

from fornace.catalog.archive import check_member_name
from fornace.catalog.errors import PackageError
from fornace.catalog.formats.base import ClassDefinition, FormatContent
from fornace.catalog.manifest import MANIFEST, Manifest, check_full_name
from fornace.catalog.ui import check_ui_definition
from fornace.catalog.versions import parse_version_spec
from fornace.catalog.yaml_loader import PackageYamlError, load_yaml_documents

CLASSES_DIR: Final = "Classes/"
UI_DIR: Final = "UI/"
DEFAULT_UI: Final = "ui.yaml"
TYPE_NAME_RE: Final = re.compile(r"^([a-zA-Z_]\w*:|:)?[a-zA-Z_]\w*(\.[a-zA-Z_]\w*)*$")
PREFIX_RE: Final = re.compile(r"^([a-zA-Z_]\w*|=)$")
NAMESPACE_RE: Final = re.compile(r"^([a-zA-Z_]\w*(\.[a-zA-Z_]\w*)*)?$")


def resolve_class_name(name: object, namespaces: object, file: str) -> str:
    """A class ``Name`` resolved through the document's ``Namespaces`` (Murano's rules)."""
    if not isinstance(name, str) or not TYPE_NAME_RE.match(name):
        raise PackageError(f"invalid class Name {name!r}", file=file,
                           hint="use a dotted name or prefix:Name with a declared prefix")
    table: dict[str, str] = {"=": "", "": ""}
    if namespaces is not None:
        if not isinstance(namespaces, dict):
            raise PackageError("Namespaces must be a mapping", file=file,
                               hint="write Namespaces: {=: com.example, std: io.murano}")
        for prefix, namespace in namespaces.items():
            namespace = "" if namespace is None else str(namespace)
            if not PREFIX_RE.match(str(prefix)) or not NAMESPACE_RE.match(namespace):
                raise PackageError(f"invalid namespace {prefix!r}: {namespace!r}", file=file,
                                   hint="prefixes are identifiers or '=', values dotted names")
            table[str(prefix)] = namespace
        table[""] = ""
    if ":" in name:
        prefix, short = name.split(":")
        prefix = prefix or "="
    else:
        prefix, short = ("", name) if "." in name else ("=", name)
    if prefix not in table:
        raise PackageError(f"class Name {name!r} uses the unknown namespace prefix {prefix!r}",
                           file=file, hint="declare the prefix under Namespaces")
    namespace = table[prefix]
    return f"{namespace}.{short}" if namespace else short


def _class_documents(files: dict[str, bytes], path: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """``(text, {resolved class name: document})`` of one class file."""
    try:
        text = files[path].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError("not UTF-8 text", file=path, hint="save the file as UTF-8") from exc
    try:
        documents = load_yaml_documents(text)
    except PackageYamlError as exc:
        raise PackageError(str(exc), file=path, hint="fix the YAML syntax") from exc
    found: dict[str, dict[str, Any]] = {}
    for document in documents:
        if not isinstance(document, dict):
            raise PackageError("a class definition must be a mapping", file=path,
                               hint="start the class with Name: and Namespaces:")
        if "Name" not in document:
            raise PackageError("class definition has no Name", file=path,
                               hint="add Name: to every class document")
        name = resolve_class_name(document["Name"], document.get("Namespaces"), path)
        found[name] = document
    return text, found


def _classes_map(manifest: Manifest) -> dict[str, str]:
    raw = manifest.raw.get("Classes")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PackageError("Classes must be a mapping of class names to files", file=MANIFEST,
                           hint="write Classes: {com.example.Demo: Demo.yaml}")
    result: dict[str, str] = {}
    for name, rel in raw.items():
        if not isinstance(name, str) or not TYPE_NAME_RE.match(name) or ":" in name:
            raise PackageError(f"Classes has an invalid class name {name!r}", file=MANIFEST,
                               hint="use the full dotted class name as the key")
        if not isinstance(rel, str) or not rel:
            raise PackageError(f"Classes: the file of {name} must be a path", file=MANIFEST,
                               hint="give a path relative to Classes/")
        if rel.startswith("/") or ".." in rel.split("/") or "\\" in rel:
            raise PackageError(f"Classes: the file of {name} leaves Classes/: {rel!r}",
                               file=MANIFEST, hint="give a path relative to Classes/")
        result[name] = check_member_name(CLASSES_DIR + rel)
    return result


def _requirements(manifest: Manifest) -> dict[str, str]:
    raw = manifest.raw.get("Require")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PackageError("Require must be a mapping of package names to versions",
                           file=MANIFEST, hint="write Require: {com.example.Lib: '>=1.0'}")
    result: dict[str, str] = {}
    for name, spec in raw.items():
        try:
            check_full_name(name)
        except PackageError as exc:
            raise PackageError(f"Require names an invalid package {name!r}", file=MANIFEST,
                               hint="use the FullName of the required package") from exc
        text = "" if spec is None else str(spec)
        try:
            parse_version_spec(text)
        except ValueError as exc:
            raise PackageError(f"Require: {exc} for {name}", file=MANIFEST,
                               hint="use a version such as 1.0.0, '>=1.2' or leave it empty"
                               ) from exc
        result[name] = text
    return result


class MuranoPlFormat:
    name = "MuranoPL"

    def read(self, manifest: Manifest, files: dict[str, bytes]) -> FormatContent:
        classes = _classes_map(manifest)
        requirements = _requirements(manifest)
        meta = manifest.raw.get("Meta") or {}
        if not isinstance(meta, dict):
            raise PackageError("Meta must be a mapping", file=MANIFEST,
                               hint="write Meta: {io.murano.metadata.Title: {...}}")
        parsed: dict[str, tuple[str, dict[str, dict[str, Any]]]] = {}
        definitions: dict[str, ClassDefinition] = {}
        for name, path in classes.items():
            if path not in files:
                raise PackageError(f"class {name} is listed in manifest.yaml but the file is "
                                   "missing", file=path,
                                   hint="add the file or remove the entry from Classes")
            if path not in parsed:
                parsed[path] = _class_documents(files, path)
            text, documents = parsed[path]
            if name not in documents:
                defined = ", ".join(sorted(documents)) or "no class"
                raise PackageError(
                    f"manifest.yaml lists {name} in this file, but it defines {defined}",
                    file=path, hint="make the class Name (with Namespaces) match the Classes key")
            definitions[name] = ClassDefinition(name=name, file=path, document=documents[name],
                                                text=text)
        listed = set(classes.values())
        for path in sorted(files):
            if (path.startswith(CLASSES_DIR) and path.endswith((".yaml", ".yml"))
                    and path not in listed):
                raise PackageError("class file is not listed in manifest.yaml Classes",
                                   file=path,
                                   hint="add its class to Classes or remove the file")
        ui_name = manifest.raw.get("UI") or DEFAULT_UI
        ui_path = check_member_name(UI_DIR + str(ui_name))
        ui = check_ui_definition(files[ui_path], ui_path) if ui_path in files else None
        return FormatContent(classes=classes, definitions=definitions,
                             requirements=requirements, ui_definition=ui, meta=meta)
