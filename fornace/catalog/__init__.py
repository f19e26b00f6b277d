"""Application packages: reading, validation, dependencies, repositories."""

from fornace.catalog.errors import PackageError
from fornace.catalog.loader import load_package
from fornace.catalog.package import LoadedPackage

__all__ = ["LoadedPackage", "PackageError", "load_package"]
