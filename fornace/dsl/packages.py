"""Where classes come from: the package source protocol and folder-backed sources.

The interpreter asks a :class:`PackageSource` for packages by name and
version spec, or for the package defining a class. :class:`PackageDefinition`
holds a package's manifest facts and its class files as text; class documents
are parsed lazily, once, on first lookup. The engine adapts the catalog's
stored archives to the protocol (build a PackageDefinition from the archive's
files with :meth:`PackageDefinition.from_files`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import semantic_version
import yaml

from fornace.dsl.errors import DslSyntaxError
from fornace.dsl.loader import SourceMap, load_documents
from fornace.dsl.namespaces import NamespaceResolver
from fornace.dsl.versions import coerce_version

log = logging.getLogger(__name__)

Runtime = tuple[int, int]


def parse_format(value: Any) -> Runtime:
    """``Format`` of a manifest: absent, ``1.3`` or ``MuranoPL/1.3`` -> (1, 3)."""
    if value is None:
        return (1, 0)
    text = str(value)
    if "/" in text:
        kind, _, text = text.partition("/")
        if kind != "MuranoPL":
            raise DslSyntaxError(f"Unsupported package format {value!r}")
    major, _, minor = text.partition(".")
    try:
        return (int(major), int(minor or 0))
    except ValueError as exc:
        raise DslSyntaxError(f"Invalid package format {value!r}") from exc


@dataclass(frozen=True)
class ClassDocument:
    """One class document as read from its file, with the namespaces in force."""

    name: str
    data: Mapping[str, Any]
    namespaces: NamespaceResolver
    file: str


@dataclass
class PackageDefinition:
    name: str
    version: semantic_version.Version = field(default_factory=lambda: coerce_version("0.0.0"))
    runtime: Runtime = (1, 0)
    requirements: dict[str, str | None] = field(default_factory=dict)
    meta: Any = None
    # file name -> YAML text of every class file of the package
    files: dict[str, str] = field(default_factory=dict)
    # explicit FQN -> file name map (manifest ``Classes``); None = scan every file
    class_map: dict[str, str] | None = None
    resources: Callable[[str], bytes] | None = None
    _documents: dict[str, ClassDocument] | None = None

    @classmethod
    def from_files(
        cls,
        manifest: Mapping[str, Any],
        files: Mapping[str, str],
        resources: Callable[[str], bytes] | None = None,
    ) -> PackageDefinition:
        """Build from manifest data and ``{path under Classes/: text}``."""
        name = manifest.get("FullName")
        if not name:
            raise DslSyntaxError("manifest.yaml: FullName is missing",
                                 hint='add "FullName: com.example.Demo" to manifest.yaml')
        classes = manifest.get("Classes") or {}
        return cls(
            name=str(name),
            version=coerce_version(manifest.get("Version")),
            runtime=parse_format(manifest.get("Format")),
            requirements={str(k): (None if v is None else str(v))
                          for k, v in (manifest.get("Require") or {}).items()},
            meta=manifest.get("Meta"),
            files=dict(files),
            class_map={str(k): str(v) for k, v in classes.items()} if classes else None,
            resources=resources,
        )

    def documents(self, parse: Callable[[str], Any]) -> dict[str, ClassDocument]:
        if self._documents is None:
            docs: dict[str, ClassDocument] = {}
            if self.class_map is not None:
                for fqn, file_name in self.class_map.items():
                    text = self.files.get(file_name)
                    if text is None:
                        raise DslSyntaxError(
                            f"{self.name}: class {fqn} refers to missing file {file_name}")
                    self._scan(file_name, text, parse, docs, fqn)
            else:
                for file_name, text in sorted(self.files.items()):
                    self._scan(file_name, text, parse, docs, None)
            self._documents = docs
        return self._documents

    def _scan(self, file_name: str, text: str, parse: Callable[[str], Any],
              docs: dict[str, ClassDocument], expected: str | None) -> None:
        namespaces = NamespaceResolver()
        unnamed_used = False
        for doc in load_documents(text, file_name, parse):
            if not isinstance(doc, Mapping):
                raise DslSyntaxError(f"{file_name}: a class document must be a mapping")
            if "Namespaces" in doc:
                namespaces = NamespaceResolver(doc.get("Namespaces") or {})
            if "Name" not in doc:
                if set(doc) <= {"Namespaces"}:
                    continue
                if expected is None or unnamed_used:
                    raise DslSyntaxError(f"{file_name}: class document without Name")
                unnamed_used = True
                fqn = expected
            else:
                fqn = namespaces.resolve(str(doc["Name"]))
            docs[fqn] = ClassDocument(fqn, doc, namespaces, file_name)

    def class_names(self, parse: Callable[[str], Any]) -> list[str]:
        if self.class_map is not None and self._documents is None:
            return list(self.class_map)
        return list(self.documents(parse))

    def __hash__(self) -> int:
        return hash((self.name, str(self.version)))


class PackageSource(Protocol):
    """The seam the engine implements over the catalog."""

    def find_package(
        self, name: str, spec: semantic_version.SimpleSpec
    ) -> PackageDefinition | None: ...

    def find_class_package(
        self, class_name: str, spec: semantic_version.SimpleSpec
    ) -> PackageDefinition | None: ...


def _read_tree(root: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml") and path.name != "manifest.yaml":
            files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return files


def load_package_folder(path: str | Path) -> PackageDefinition:
    """A package folder: ``manifest.yaml`` plus ``Classes/`` (and ``Resources/``)."""
    root = Path(path)
    manifest_path = root / "manifest.yaml"
    try:
        manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DslSyntaxError(f"{manifest_path}: {exc}") from exc
    classes_dir = root / "Classes"
    files = _read_tree(classes_dir) if classes_dir.is_dir() else {}
    resources_dir = root / "Resources"

    def read_resource(name: str) -> bytes:
        target = (resources_dir / name).resolve()
        if resources_dir.resolve() not in target.parents:
            raise FileNotFoundError(name)
        return target.read_bytes()

    package = PackageDefinition.from_files(manifest, files, read_resource)
    if package.class_map is None:
        package.class_map = None  # scan every file
    return package


def load_class_folder(path: str | Path, name: str = "tests", version: str = "0.0.0",
                      runtime: Runtime = (1, 0)) -> PackageDefinition:
    """A plain folder of class files as one package (how Murano's DSL tests load)."""
    return PackageDefinition(
        name=name, version=coerce_version(version), runtime=runtime,
        files=_read_tree(Path(path)), class_map=None)


class StaticPackageSource:
    """A fixed list of packages; classes found by scanning their documents."""

    def __init__(self, packages: Iterable[PackageDefinition], parse: Callable[[str], Any]):
        self.packages = list(packages)
        self._parse = parse

    def find_package(self, name: str, spec: semantic_version.SimpleSpec) -> PackageDefinition | None:
        best = None
        for package in self.packages:
            if package.name == name and package.version in spec:
                if best is None or package.version > best.version:
                    best = package
        return best

    def find_class_package(self, class_name: str,
                           spec: semantic_version.SimpleSpec) -> PackageDefinition | None:
        for package in self.packages:
            if package.version in spec and class_name in package.class_names(self._parse):
                return package
        return None


class DirectoryPackageSource(StaticPackageSource):
    """Package folders (each with manifest.yaml), or folders holding package folders."""

    def __init__(self, paths: Iterable[str | Path], parse: Callable[[str], Any]):
        packages = []
        for path in paths:
            root = Path(path)
            if (root / "manifest.yaml").is_file():
                packages.append(load_package_folder(root))
            elif root.is_dir():
                for child in sorted(root.iterdir()):
                    if (child / "manifest.yaml").is_file():
                        packages.append(load_package_folder(child))
        super().__init__(packages, parse)


class CombinedPackageSource:
    """Ask each source in turn (first answer wins)."""

    def __init__(self, *sources: PackageSource):
        self.sources = [s for s in sources if s is not None]

    def find_package(self, name: str, spec: semantic_version.SimpleSpec) -> PackageDefinition | None:
        for source in self.sources:
            found = source.find_package(name, spec)
            if found is not None:
                return found
        return None

    def find_class_package(self, class_name: str,
                           spec: semantic_version.SimpleSpec) -> PackageDefinition | None:
        for source in self.sources:
            found = source.find_class_package(class_name, spec)
            if found is not None:
                return found
        return None


def is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping | SourceMap)
