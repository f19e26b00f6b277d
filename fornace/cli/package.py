"""``fornace package-create``: build a package archive (like ``murano package-create``)."""

from __future__ import annotations

from pathlib import Path

import click

from fornace.catalog.builder import (
    PackageMetadata,
    build_hot_package,
    build_muranopl_package,
    build_package_folder,
)
from fornace.catalog.errors import PackageError


@click.command("package-create")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False,
                                                          path_type=Path))
@click.option("-t", "--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Heat template to turn into a Heat.HOT/1.0 package.")
@click.option("-c", "--classes-dir", type=click.Path(exists=True, file_okay=False,
                                                     path_type=Path),
              help="Folder of MuranoPL classes for a MuranoPL package.")
@click.option("-r", "--resources-dir", type=click.Path(exists=True, file_okay=False,
                                                       path_type=Path),
              help="Folder copied to Resources/.")
@click.option("-u", "--ui", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Dynamic UI definition (copied to UI/ui.yaml).")
@click.option("-n", "--name", help="Display name of the application.")
@click.option("-f", "--full-name", help="Fully-qualified name of the package.")
@click.option("-d", "--description", help="Description of the application.")
@click.option("-a", "--author", help="Name of the publisher.")
@click.option("--tags", multiple=True, help="A keyword (repeat for several).")
@click.option("-l", "--logo", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Logo image (png, jpeg or gif, at most 500 KiB).")
@click.option("--type", "package_type", type=click.Choice(["Application", "Library"]),
              help="Package type (MuranoPL packages).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the archive.")
def package_create(folder: Path | None, template: Path | None, classes_dir: Path | None,
                   resources_dir: Path | None, ui: Path | None, name: str | None,
                   full_name: str | None, description: str | None, author: str | None,
                   tags: tuple[str, ...], logo: Path | None, package_type: str | None,
                   output: Path | None) -> None:
    """Build a package archive from FOLDER, a Heat --template or a --classes-dir.

    The archive is validated exactly as an upload would be.
    """
    sources = [s for s in (folder, template, classes_dir) if s is not None]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of FOLDER, --template or --classes-dir")
    metadata = PackageMetadata(name=name, full_name=full_name, description=description,
                               author=author, tags=tags, type=package_type)
    if folder is not None:
        archive, package = build_package_folder(folder)
        default_output = Path(f"{package.fully_qualified_name}.zip")
    elif template is not None:
        archive, package = build_hot_package(template, metadata, logo=logo,
                                             resources_dir=resources_dir)
        default_output = Path(template.stem + ".zip")
    elif classes_dir is not None:
        archive, package = build_muranopl_package(classes_dir, metadata, ui=ui, logo=logo,
                                                  resources_dir=resources_dir)
        default_output = Path(f"{package.fully_qualified_name}.zip")
    else:  # unreachable: exactly one source was checked above
        raise click.UsageError("give exactly one of FOLDER, --template or --classes-dir")
    target = output or default_output
    try:
        target.write_bytes(archive)
    except OSError as exc:
        raise PackageError(f"cannot write {target}: {exc.strerror}",
                           hint="choose another --output path") from exc
    click.echo(f"Application package is available at {target.resolve()}")
