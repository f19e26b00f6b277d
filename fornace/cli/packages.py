"""Package commands (murano's ``package-*`` and ``bundle-*``; package-create is package.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fornace.cli._context import client_from
from fornace.cli._output import PACKAGE_COLUMNS, note, show_list, show_object

if TYPE_CHECKING:
    from fornace.catalog import LoadedPackage, PackageRepository

PACKAGE_FIELDS = ("id", "type", "owner_id", "name", "fully_qualified_name", "is_public",
                  "enabled", "class_definitions", "categories", "tags", "description")

repo_option = click.option("--repo-url", metavar="URL_OR_DIR",
                           help="Package repository for names and dependencies "
                                "(default: FORNACE_REPO_URL).")
exists_option = click.option("--exists-action", type=click.Choice(["a", "s", "u"]), default=None,
                             help="If a package exists: (s)kip, (u)pdate, (a)bort; "
                                  "asks when not given.")


@click.command("package-list")
@click.option("--limit", type=click.IntRange(min=0), default=0, help="At most this many.")
@click.option("--marker", default=None, help="Start after this package id.")
@click.option("--include-disabled", is_flag=True, help="Include disabled packages.")
@click.option("--owned", is_flag=True, help="Only the project's own packages.")
@click.option("--search", default=None, help="Words to search for.")
@click.option("--name", default=None, help="Exact display name.")
@click.option("--fqn", default=None, help="Exact fully-qualified name.")
@click.option("--type", "package_type", default=None, help="Application or Library.")
@click.option("--category", default=None, help="Category name.")
@click.option("--class_name", "--class-name", "class_name", default=None, help="A class FQN.")
@click.option("--tag", default=None, help="A tag.")
@click.pass_context
def package_list(ctx: click.Context, limit: int, marker: str | None, include_disabled: bool,
                 owned: bool, search: str | None, name: str | None, fqn: str | None,
                 package_type: str | None, category: str | None, class_name: str | None,
                 tag: str | None) -> None:
    """List the packages of the catalog."""
    filters: dict[str, Any] = {"marker": marker, "search": search, "name": name, "fqn": fqn,
                               "type": package_type, "category": category,
                               "class_name": class_name, "tag": tag}
    if include_disabled:
        filters["include_disabled"] = "true"
    if owned:
        filters["owned"] = "true"
    found = client_from(ctx).list_packages(limit=limit or None, **filters)
    show_list(found, PACKAGE_COLUMNS)


@click.command("package-show")
@click.argument("package_id", metavar="ID")
@click.pass_context
def package_show(ctx: click.Context, package_id: str) -> None:
    """Show a package's details."""
    package = client_from(ctx).get_package(package_id)
    show_object({k: package.get(k) for k in PACKAGE_FIELDS})


@click.command("package-download")
@click.argument("package_id", metavar="ID")
@click.argument("filename", required=False, metavar="[FILE]")
@click.pass_context
def package_download(ctx: click.Context, package_id: str, filename: str | None) -> None:
    """Download a package archive to FILE (or to stdout when redirected)."""
    if filename is None and sys.stdout.isatty():
        raise click.UsageError("No stdout redirection or local file specified for the "
                               "downloaded package. Please specify a local file.")
    archive = client_from(ctx).download_package(package_id)
    if filename:
        Path(filename).write_bytes(archive)
        note(f"Package downloaded to {filename}")
    else:
        sys.stdout.buffer.write(archive)


def _strict_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise click.BadParameter(f"expected true or false, got {value!r}")
    return lowered == "true"


@click.command("package-update")
@click.argument("package_id", metavar="ID")
@click.option("--is-public", metavar="{true|false}", help="Make the package (not) public.")
@click.option("--enabled", metavar="{true|false}", help="Enable or disable the package.")
@click.option("--name", default=None, help="New display name.")
@click.option("--description", default=None, help="New description.")
@click.option("--tags", multiple=True, metavar="TAG", help="Replace the tags (repeat).")
@click.pass_context
def package_update(ctx: click.Context, package_id: str, is_public: str | None,
                   enabled: str | None, name: str | None, description: str | None,
                   tags: tuple[str, ...]) -> None:
    """Update a package's attributes."""
    changes: dict[str, Any] = {"is_public": _strict_bool(is_public),
                               "enabled": _strict_bool(enabled), "name": name,
                               "description": description, "tags": list(tags) or None}
    patch = [{"op": "replace", "path": f"/{key}", "value": value}
             for key, value in changes.items() if value is not None]
    if not patch:
        raise click.UsageError("nothing to update: give at least one option")
    package = client_from(ctx).update_package(package_id, patch)
    show_object({k: package.get(k) for k in PACKAGE_FIELDS})


@click.command("package-delete")
@click.argument("package_ids", nargs=-1, required=True, metavar="ID...")
@click.pass_context
def package_delete(ctx: click.Context, package_ids: tuple[str, ...]) -> None:
    """Delete packages."""
    from fornace.cli._bulk import delete_each

    client = client_from(ctx)
    delete_each(package_ids, client.delete_package, "package", announce=True)
    show_list(client.list_packages(), PACKAGE_COLUMNS)


def _upload_all(ctx: click.Context, ordered: list[tuple[LoadedPackage, str]],
                categories: list[str], is_public: bool) -> None:
    from fornace.cli._imports import upload

    client = client_from(ctx)
    imported: list[dict[str, Any]] = []
    done: set[str] = set()
    for package, action in ordered:
        if package.fully_qualified_name in done:
            continue
        done.add(package.fully_qualified_name)
        result = upload(client, package, action, categories=categories, is_public=is_public)
        if result is not None:
            imported.append(result)
    if imported:
        show_list(imported, PACKAGE_COLUMNS)


@click.command("package-import")
@click.argument("sources", nargs=-1, required=True, metavar="FILE|URL|FQN...")
@click.option("-c", "--categories", multiple=True, metavar="CATEGORY",
              help="A category for the package (repeat for several).")
@click.option("--is-public", is_flag=True, help="Make the package public.")
@click.option("--package-version", default="", help="Version of a package named by FQN.")
@exists_option
@click.option("--dep-exists-action", type=click.Choice(["a", "s", "u"]), default=None,
              help="The same for dependencies (default: --exists-action).")
@repo_option
@click.pass_context
def package_import(ctx: click.Context, sources: tuple[str, ...], categories: tuple[str, ...],
                   is_public: bool, package_version: str, exists_action: str | None,
                   dep_exists_action: str | None, repo_url: str | None) -> None:
    """Import packages from files, folders, URLs or repository names, dependencies first."""
    from fornace.cli._imports import load_source, repository_from

    if package_version and len(sources) > 1:
        note("Requested to import more than one package, ignoring version.")
        package_version = ""
    repository = repository_from(repo_url)
    ordered: list[tuple[LoadedPackage, str]] = []
    for source in sources:
        resolved = load_source(source, repository, package_version)
        main = resolved[-1].fully_qualified_name if resolved else ""
        for package in resolved:
            is_main = package.fully_qualified_name == main
            action = exists_action if is_main else (dep_exists_action or exists_action)
            ordered.append((package, action or ""))
    _upload_all(ctx, ordered, list(categories), is_public)


def _bundle_packages(source: str, repository: PackageRepository | None) -> list[LoadedPackage]:
    from fornace.catalog import (
        import_bundle,
        import_package_file,
        parse_bundle,
        resolve_dependencies,
    )

    path = Path(source)
    if not path.is_file():
        if repository is None:
            raise click.ClickException(f"'{source}' is not a local file and no repository "
                                       "is set: pass --repo-url or set FORNACE_REPO_URL")
        return import_bundle(source, repository, skip_missing=True)
    roots: list[LoadedPackage] = []
    for entry in parse_bundle(path.read_bytes(), path.name):
        local = next((c for c in (path.parent / entry.name, path.parent / f"{entry.name}.zip")
                      if c.exists()), None)
        if local is not None:
            roots.extend(import_package_file(local, repository, skip_missing=True))
        elif repository is not None:
            roots.append(repository.fetch_url(entry.url) if entry.url
                         else repository.fetch_package(entry.name, entry.version))
        else:
            note(f"Skipping {entry.name}: not next to the bundle and no repository is set")
    return resolve_dependencies(roots, repository, skip_missing=True)


@click.command("bundle-import")
@click.argument("sources", nargs=-1, required=True, metavar="FILE|URL|NAME...")
@click.option("--is-public", is_flag=True, help="Make the packages public.")
@exists_option
@repo_option
@click.pass_context
def bundle_import(ctx: click.Context, sources: tuple[str, ...], is_public: bool,
                  exists_action: str | None, repo_url: str | None) -> None:
    """Import every package of bundles (local bundle entries are looked up next to it)."""
    from fornace.cli._imports import repository_from

    repository = repository_from(repo_url)
    ordered = [(package, exists_action or "") for source in sources
               for package in _bundle_packages(source, repository)]
    _upload_all(ctx, ordered, [], is_public)


@click.command("package-save")
@click.argument("names", nargs=-1, required=True, metavar="PACKAGE...")
@click.option("-p", "--path", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), help="Where to save (created if missing).")
@click.option("--package-version", default="", help="Version (one package only).")
@click.option("--no-images", is_flag=True, help="Accepted for compatibility; images are "
                                                 "never downloaded.")
@repo_option
def package_save(names: tuple[str, ...], path: Path, package_version: str, no_images: bool,
                 repo_url: str | None) -> None:
    """Save packages from a repository, with their dependencies, to --path."""
    from fornace.cli._imports import load_source, repository_from, save_archives

    if package_version and len(names) > 1:
        note("Requested to save more than one package, ignoring version.")
        package_version = ""
    repository = repository_from(repo_url)
    packages = [p for name in names for p in load_source(name, repository, package_version)]
    save_archives(packages, path)


@click.command("bundle-save")
@click.argument("bundle", metavar="BUNDLE")
@click.option("-p", "--path", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), help="Where to save (created if missing).")
@click.option("--no-images", is_flag=True, help="Accepted for compatibility.")
@repo_option
def bundle_save(bundle: str, path: Path, no_images: bool, repo_url: str | None) -> None:
    """Save a bundle's packages, with their dependencies, to --path."""
    from fornace.cli._imports import repository_from, save_archives

    repository = repository_from(repo_url)
    save_archives(_bundle_packages(bundle, repository), path)
    note(f"Bundle file {bundle} has been successfully saved")
