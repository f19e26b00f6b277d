"""The catalog's public names: what the API, engine and CLI may import."""

from __future__ import annotations

import inspect

import fornace.catalog as catalog
from fornace.errors import InvalidInput


def test_public_names_are_pinned() -> None:
    assert sorted(catalog.__all__) == [
        "ArchiveLimits", "BundleEntry", "BundleError", "CORE_LIBRARIES", "ClassDefinition",
        "FolderRepository", "HttpRepository", "LoadedPackage", "PackageContents", "PackageError",
        "PackageMetadata", "PackageNotFound", "PackageRepository", "RepositoryError",
        "YaqlExpression", "build_archive", "build_hot_package", "build_muranopl_package",
        "build_package_folder", "import_bundle", "import_package", "import_package_file",
        "load_folder", "load_package", "matching_versions", "open_repository", "parse_bundle",
        "parse_version_spec", "resolve_dependencies", "select_version"]
    for name in catalog.__all__:
        assert getattr(catalog, name) is not None


def test_load_package_signature_kept_for_the_upload_route() -> None:
    signature = inspect.signature(catalog.load_package)
    assert list(signature.parameters) == ["data", "size_limit", "limits"]
    assert signature.parameters["size_limit"].kind is inspect.Parameter.KEYWORD_ONLY
    assert signature.parameters["size_limit"].default == 5 * 1024 * 1024
    assert issubclass(catalog.PackageError, InvalidInput)
    assert catalog.PackageError("x", file="manifest.yaml").file == "manifest.yaml"
