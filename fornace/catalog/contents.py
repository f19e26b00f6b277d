"""The files of a stored package, for the engine: safe reads, classes, resources, UI."""

from __future__ import annotations

from typing import Final

from fornace.catalog.archive import ArchiveLimits, build_archive, check_member_name
from fornace.catalog.errors import PackageError
from fornace.catalog.formats import ClassDefinition
from fornace.catalog.loader import read_package_archive
from fornace.catalog.package import LoadedPackage

RESOURCES: Final = "Resources/"


class PackageContents:
    """A validated view over one package archive.

    Built from the archive bytes (as stored by the API); every path goes
    through the same name checks as upload, so ``read("../x")`` is refused.
    Heat packages also expose their generated class and ``Resources/<FullName>``
    (the template), as Murano's engine did.
    """

    def __init__(self, archive: bytes, *, limits: ArchiveLimits | None = None) -> None:
        read = read_package_archive(archive, limits or ArchiveLimits())
        self.package: LoadedPackage = read.package
        self._files = read.files
        self._generated = dict(read.content.generated)
        self._definitions = dict(read.content.definitions)

    @property
    def full_name(self) -> str:
        return self.package.fully_qualified_name

    @property
    def files(self) -> list[str]:
        """Paths of the files stored in the archive, sorted."""
        return sorted(self._files)

    def read(self, path: str) -> bytes:
        """Bytes of one file (generated Heat resources included); PackageError if absent."""
        name = check_member_name(path)
        content = self._files.get(name, self._generated.get(name))
        if content is None:
            raise PackageError(f"no such file in package {self.full_name}", file=name,
                               hint="check the path (it is relative to the package root)")
        return content

    def read_resource(self, name: str) -> bytes:
        """A file under ``Resources/`` (what io.murano.system.Resources reads)."""
        return self.read(RESOURCES + name)

    def resources(self) -> list[str]:
        """Paths relative to ``Resources/``, sorted (scripts/ included)."""
        names = set(self._files) | set(self._generated)
        return sorted(n[len(RESOURCES):] for n in names if n.startswith(RESOURCES))

    @property
    def class_definitions(self) -> dict[str, ClassDefinition]:
        """Class FQN -> definition (parsed document, file name, file text)."""
        return dict(self._definitions)

    def class_definition(self, name: str) -> ClassDefinition:
        try:
            return self._definitions[name]
        except KeyError:
            raise PackageError(f"Unable to load class {name!r} from package: class not "
                               f"defined in package {self.full_name}",
                               hint="check the class name and the package's Classes") from None

    @property
    def ui_definition(self) -> str | None:
        return self.package.ui_definition

    def to_archive(self) -> bytes:
        """The stored files as a deterministic zip (generated files are not included)."""
        return build_archive(self._files)
