"""Uploading resolved packages with murano's --exists-action rules (s, u, a)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fornace.cli._output import note

if TYPE_CHECKING:
    from fornace.catalog import LoadedPackage, PackageRepository
    from fornace.client import FornaceClient

DEFAULT_REPO_ENV = "FORNACE_REPO_URL"


def repository_from(location: str | None) -> PackageRepository | None:
    import os

    from fornace.catalog import open_repository

    location = location or os.environ.get(DEFAULT_REPO_ENV)
    return open_repository(location) if location else None


def load_source(source: str, repository: PackageRepository | None,
                version: str) -> list[LoadedPackage]:
    """A file, folder, URL or FQN, with its dependencies (dependencies first)."""
    from fornace.catalog import import_package, import_package_file, resolve_dependencies

    path = Path(source)
    if path.exists():
        return import_package_file(path, repository, skip_missing=True)
    note(f"Package file '{source}' does not exist, attempting to download")
    if repository is None:
        raise click.ClickException(
            f"'{source}' is not a local file and no repository is set: pass --repo-url "
            f"or set {DEFAULT_REPO_ENV}")
    if source.startswith(("http://", "https://")):
        main = repository.fetch_url(source)
        return resolve_dependencies([main], repository, skip_missing=True)
    return import_package(source, repository, version=version, skip_missing=True)


def upload(client: FornaceClient, package: LoadedPackage, exists_action: str, *,
           categories: list[str], is_public: bool) -> dict[str, Any] | None:
    """Upload one package; on a conflict skip (s), replace (u) or stop (a)."""
    from fornace.client import ClientConflict

    name = package.fully_qualified_name
    while True:
        note(f"Importing package {name}")
        try:
            return client.upload_package(package.archive, filename=f"{name}.zip",
                                         categories=categories, is_public=is_public)
        except ClientConflict:
            note(f"Importing package {name} failed. Package with the same name/classes is "
                 "already registered.")
            action = exists_action or _ask()
            if action == "s":
                note("Skipping.")
                return None
            if action == "a":
                raise click.ClickException(f"Aborted: package {name} already exists") from None
            owned = client.list_packages(fqn=name, owned="true")
            if len(owned) != 1:
                raise click.ClickException(
                    f"Got a conflict response, but found {len(owned)} packages named '{name}' "
                    "in the current project; delete the conflicting one manually.") from None
            note(f"Deleting package {name}({owned[0]['id']})")
            client.delete_package(owned[0]["id"])


def _ask() -> str:
    return str(click.prompt("What do you want to do? (s)kip, (u)pdate, (a)bort",
                            type=click.Choice(["s", "u", "a"]), err=True))


def save_archives(packages: list[LoadedPackage], destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for package in packages:
        target = destination / f"{package.fully_qualified_name}.zip"
        target.write_bytes(package.archive)
        note(f"Package {package.fully_qualified_name} saved to {target}")
