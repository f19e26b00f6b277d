"""Dependency resolution for imports (Murano's client did this before uploading).

Requirements are fetched breadth-first from a repository by FQN; an exact
``Require`` version is the version part of the file name (as in Murano's
client), a range fetches the unversioned file and checks its Version. Cycles are
allowed. The result is ordered so that every package comes after the
packages it requires; the members of a cycle come together, after
everything the cycle requires (in discovery order among themselves).
Core libraries that Fornace ships are never fetched.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Final

from fornace.catalog.archive import ArchiveLimits
from fornace.catalog.errors import PackageError, PackageNotFound
from fornace.catalog.loader import load_folder, load_package
from fornace.catalog.package import LoadedPackage
from fornace.catalog.repository import PackageRepository
from fornace.catalog.versions import matching_versions

log = logging.getLogger(__name__)

CORE_LIBRARIES: Final = frozenset({"io.murano", "io.murano.applications"})


def dependency_order(graph: dict[str, list[str]], roots: Iterable[str]) -> list[str]:
    """Dependencies before dependants, a cycle as one block after everything it requires.

    Tarjan's algorithm finishes each strongly connected component after all
    components it reaches, which is exactly "dependencies first"; members of
    a component keep their discovery order.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    order: list[str] = []

    def visit(root: str) -> None:
        work: list[tuple[str, int]] = [(root, 0)]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, position = work[-1]
            edges = graph.get(node, [])
            if position < len(edges):
                work[-1] = (node, position + 1)
                child = edges[position]
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                order.extend(sorted(component, key=index.__getitem__))

    for root in roots:
        if root not in index:
            visit(root)
    return order


def resolve_dependencies(
    roots: Iterable[LoadedPackage], repository: PackageRepository | None, *,
    satisfied: Collection[str] = CORE_LIBRARIES, skip_missing: bool = False,
) -> list[LoadedPackage]:
    """``roots`` and everything they require, dependencies first.

    A requirement absent from the repository raises :class:`PackageNotFound`
    naming it and the package that required it (``skip_missing`` logs and
    skips it instead, as Murano's client did).
    """
    found: dict[str, LoadedPackage] = {}
    graph: dict[str, list[str]] = {}
    queue: deque[LoadedPackage] = deque()
    root_names: list[str] = []
    for package in roots:
        root_names.append(package.fully_qualified_name)
        if package.fully_qualified_name not in found:
            found[package.fully_qualified_name] = package
            queue.append(package)
    while queue:
        package = queue.popleft()
        edges: list[str] = []
        for name, version in package.requirements.items():
            if name in satisfied:
                continue
            if name not in found:
                dependency = _fetch(repository, name, version, package, skip_missing)
                if dependency is None:
                    continue
                found[name] = dependency
                queue.append(dependency)
            edges.append(name)
        graph[package.fully_qualified_name] = edges
    names = dependency_order(graph, root_names)
    result: list[LoadedPackage] = []
    emitted: set[str] = set()
    for name in names:
        package = found[name]
        if package.fully_qualified_name not in emitted:
            emitted.add(package.fully_qualified_name)
            result.append(package)
    return result


_EXACT_VERSION_RE: Final = re.compile(r"^=?=?\d+(\.\d+){0,2}([-+][0-9A-Za-z.+-]*)?$")


def file_version(spec: str) -> str:
    """The version part of the repository file name for a ``Require`` value.

    An exact version names a versioned file (``apps/<FQN>.<version>.zip``), as
    Murano's client did; a range (``>=1.2``, ``*``) cannot be a file name, so the
    unversioned file is fetched and its Version checked against the range.
    """
    text = spec.strip()
    return text.lstrip("=") if _EXACT_VERSION_RE.match(text) else ""


def _fetch(repository: PackageRepository | None, name: str, version: str,
           required_by: LoadedPackage, skip_missing: bool) -> LoadedPackage | None:
    who = required_by.fully_qualified_name
    try:
        if repository is None:
            raise PackageNotFound(name, version=version, required_by=who)
        package = repository.fetch_package(name, file_version(version))
        if version.strip() and not file_version(version) and not matching_versions(
                [package], version):
            raise PackageNotFound(name, version=version)
    except PackageNotFound as exc:
        if skip_missing:
            log.warning("Skipping %s (required by %s): %s", name, who, exc)
            return None
        raise PackageNotFound(name, version=version, location=getattr(
            repository, "location", ""), required_by=who) from exc
    if package.fully_qualified_name != name:
        raise PackageError(
            f"the repository returned {package.fully_qualified_name} for {name}",
            file="manifest.yaml", hint=f"fix the FullName of apps/{name}*.zip in the repository")
    return package


def import_package(name: str, repository: PackageRepository, *, version: str = "",
                   satisfied: Collection[str] = CORE_LIBRARIES,
                   skip_missing: bool = False) -> list[LoadedPackage]:
    """A package from a repository by FQN, with its dependencies, dependencies first."""
    main = repository.fetch_package(name, version)
    return resolve_dependencies([main], repository, satisfied=satisfied,
                                skip_missing=skip_missing)


def import_package_file(path: str | Path, repository: PackageRepository | None = None, *,
                        limits: ArchiveLimits | None = None,
                        satisfied: Collection[str] = CORE_LIBRARIES,
                        skip_missing: bool = False) -> list[LoadedPackage]:
    """A local package (zip or folder) with its dependencies from ``repository``."""
    location = Path(path)
    main = (load_folder(location, limits=limits) if location.is_dir()
            else load_package(location.read_bytes(), limits=limits or ArchiveLimits()))
    return resolve_dependencies([main], repository, satisfied=satisfied,
                                skip_missing=skip_missing)


def import_bundle(name: str, repository: PackageRepository, *,
                  satisfied: Collection[str] = CORE_LIBRARIES,
                  skip_missing: bool = False) -> list[LoadedPackage]:
    """Every package of a bundle and their dependencies, as one ordered list."""
    roots = []
    for entry in repository.fetch_bundle(name):
        if entry.name in satisfied:
            continue
        try:
            roots.append(repository.fetch_url(entry.url) if entry.url
                         else repository.fetch_package(entry.name, entry.version))
        except PackageNotFound as exc:
            if skip_missing:
                log.warning("Skipping %s of bundle %s: %s", entry.name, name, exc)
                continue
            raise PackageNotFound(entry.name, version=entry.version,
                                  location=repository.location,
                                  required_by=f"bundle {name}") from exc
    return resolve_dependencies(roots, repository, satisfied=satisfied,
                                skip_missing=skip_missing)
