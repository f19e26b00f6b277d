"""The engine's package source: the catalog DB plus the core library folder.

A package is visible to a task when it is public or owned by the task's project
(Murano's ApiPackageLoader). Versions are chosen by the Require / classVersion
spec through fornace.catalog's version rules (highest matching version wins).
Parsed packages are cached per process by ``(package id, updated)``, so an
updated upload is picked up by the next task and an unchanged one is parsed once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import semantic_version
import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from fornace.catalog.archive import read_archive
from fornace.catalog.versions import parse_version
from fornace.db.models import ClassDefinition, Package
from fornace.dsl import CombinedPackageSource, DirectoryPackageSource, parser_for
from fornace.dsl.packages import PackageDefinition, PackageSource

log = logging.getLogger(__name__)

_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, datetime | None], PackageDefinition] = OrderedDict()
_cache_lock = threading.Lock()
_core_sources: dict[tuple[str, ...], DirectoryPackageSource] = {}
# Which packages a name resolves to is asked per task and per class; the answer is
# kept this long, so an upload, update or deletion reaches running engines within it.
LOOKUP_SECONDS = 2.0
_lookups: dict[tuple[str | None, str, str], tuple[float, list[Any]]] = {}

def definition_from_archive(archive: bytes) -> PackageDefinition:
    """A stored package archive -> a dsl PackageDefinition (class files as text)."""
    files = read_archive(archive)
    manifest = yaml.safe_load(files.get("manifest.yaml", b"") or b"") or {}
    classes = {name[len("Classes/"):]: data.decode("utf-8") for name, data in files.items()
               if name.startswith("Classes/") and name.endswith((".yaml", ".yml"))}

    def resource(name: str) -> bytes:
        try:
            return files[f"Resources/{name}"]
        except KeyError:
            raise FileNotFoundError(name) from None

    return PackageDefinition.from_files(manifest, classes, resource)

class CatalogPackageSource:
    """Packages stored in the catalog DB that ``project_id`` may use."""

    def __init__(self, sessions: sessionmaker[Session], project_id: str | None):
        self._sessions = sessions
        self._project_id = project_id

    def _visible(self) -> Any:
        if self._project_id is None:
            return Package.is_public.is_(True)
        return or_(Package.is_public.is_(True), Package.owner_id == self._project_id)

    def _pick(self, rows: Iterable[tuple[str, str, datetime | None]],
              spec: semantic_version.SimpleSpec) -> PackageDefinition | None:
        found = [(parse_version(version), pid, updated) for pid, version, updated in rows]
        found = [item for item in found if item[0] in spec]
        if not found:
            return None
        _version, pid, updated = max(found, key=lambda item: item[0])
        return self._load(pid, updated)

    def find_package(self, name: str,
                     spec: semantic_version.SimpleSpec) -> PackageDefinition | None:
        return self._pick(self._rows("package", name), spec)

    def find_class_package(self, class_name: str,
                           spec: semantic_version.SimpleSpec) -> PackageDefinition | None:
        return self._pick(self._rows("class", class_name), spec)

    def _rows(self, kind: str, name: str) -> list[tuple[str, str, datetime | None]]:
        """Candidate packages ``(id, version, updated)``, remembered for LOOKUP_SECONDS."""
        key = (self._project_id, kind, name)
        now = time.monotonic()
        with _cache_lock:
            hit = _lookups.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        query = select(Package.id, Package.version, Package.updated).where(self._visible())
        if kind == "class":
            query = query.join(ClassDefinition, ClassDefinition.package_id == Package.id) \
                .where(ClassDefinition.name == name)
        else:
            query = query.where(Package.fully_qualified_name == name)
        with self._sessions() as db:
            rows = [tuple(row) for row in db.execute(query).all()]
        if rows:  # a miss is not remembered: a package uploaded now is found at once
            with _cache_lock:
                if len(_lookups) > 4 * _CACHE_SIZE:
                    _lookups.clear()
                _lookups[key] = (now + LOOKUP_SECONDS, rows)
        return rows  # type: ignore[return-value]

    def _load(self, package_id: str, updated: datetime | None) -> PackageDefinition:
        key = (package_id, updated)
        with _cache_lock:
            cached = _cache.get(key)
            if cached is not None:
                _cache.move_to_end(key)
                return cached
        with self._sessions() as db:
            archive = db.scalar(select(Package.archive).where(Package.id == package_id))
        definition = definition_from_archive(archive or b"")
        log.debug("parsed package %s %s (%s)", definition.name, definition.version, package_id)
        with _cache_lock:
            _cache[key] = definition
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        return definition

def core_source(folders: Iterable[Path]) -> DirectoryPackageSource:
    """The core library folders, read once per process."""
    key = tuple(str(f) for f in folders)
    source = _core_sources.get(key)
    if source is None:
        source = DirectoryPackageSource([Path(f) for f in key], parser_for((1, 4)))
        _core_sources[key] = source
    return source

def package_source(sessions: sessionmaker[Session], project_id: str | None,
                   core_folders: Iterable[Path]) -> PackageSource:
    """Core library first (its io.murano wins), then the catalog; dsl's built-in last."""
    return CombinedPackageSource(core_source(core_folders),
                                 CatalogPackageSource(sessions, project_id))

def forget_lookups() -> None:
    """Ask the DB again on the next lookup (what LOOKUP_SECONDS does by itself)."""
    with _cache_lock:
        _lookups.clear()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
        _lookups.clear()
    _core_sources.clear()
