"""Application packages: reading, validation, dependencies, repositories.

Public API (other components import only these names):

* upload / engine: :func:`load_package` (archive bytes -> :class:`LoadedPackage`),
  :class:`PackageContents` (safe reads, class definitions, resources, UI),
  :class:`ArchiveLimits` (from settings), :func:`select_version`,
  :func:`parse_version_spec`.
* client-side import: :func:`open_repository`, :func:`import_package`,
  :func:`import_package_file`, :func:`import_bundle`, :func:`resolve_dependencies`.
* building: :func:`load_folder`, :func:`build_archive`, :func:`build_package_folder`,
  :func:`build_hot_package`.
"""

from fornace.catalog.archive import ArchiveLimits, build_archive
from fornace.catalog.bundles import BundleEntry, parse_bundle
from fornace.catalog.contents import PackageContents
from fornace.catalog.errors import BundleError, PackageError, PackageNotFound, RepositoryError
from fornace.catalog.formats import ClassDefinition
from fornace.catalog.loader import load_folder, load_package
from fornace.catalog.package import LoadedPackage
from fornace.catalog.repository import (
    FolderRepository,
    HttpRepository,
    PackageRepository,
    open_repository,
)
from fornace.catalog.resolver import (
    CORE_LIBRARIES,
    import_bundle,
    import_package,
    import_package_file,
    resolve_dependencies,
)
from fornace.catalog.versions import matching_versions, parse_version_spec, select_version
from fornace.catalog.yaml_loader import YaqlExpression

__all__ = [
    "CORE_LIBRARIES",
    "ArchiveLimits",
    "BundleEntry",
    "BundleError",
    "ClassDefinition",
    "FolderRepository",
    "HttpRepository",
    "LoadedPackage",
    "PackageContents",
    "PackageError",
    "PackageNotFound",
    "PackageRepository",
    "RepositoryError",
    "YaqlExpression",
    "build_archive",
    "import_bundle",
    "import_package",
    "import_package_file",
    "load_folder",
    "load_package",
    "matching_versions",
    "open_repository",
    "parse_bundle",
    "parse_version_spec",
    "resolve_dependencies",
    "select_version",
]
