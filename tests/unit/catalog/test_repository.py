"""Importing packages and bundles from folder and HTTP repositories, with dependencies."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from catalog_data import SAMPLES

from fornace.catalog import (
    ArchiveLimits,
    FolderRepository,
    HttpRepository,
    PackageError,
    PackageNotFound,
    RepositoryError,
    build_archive,
    import_bundle,
    import_package,
    import_package_file,
    open_repository,
)
from fornace.catalog.archive import read_folder
from fornace.catalog.resolver import file_version

SAMPLE_FILES = {
    "com.example.fornace.Common.zip": "common",
    "com.example.fornace.databases.zip": "databases",
    "com.example.fornace.MySql.zip": "mysql",
    "com.example.fornace.ApacheHttpServer.1.0.0.zip": "apache",
    "com.example.fornace.Shop.zip": "shop",
    "com.example.fornace.MonitorServer.zip": "monitor-server",
    "com.example.fornace.MonitorAgent.zip": "monitor-agent",
    "com.example.fornace.HeatWebServer.zip": "heat-web",
}


def library(full_name: str, requires: dict[str, str] | None = None) -> bytes:
    """A minimal Library package archive requiring ``requires``."""
    lines = ["Format: 1.3", "Type: Library", f"FullName: {full_name}", "Classes: {}"]
    if requires:
        lines.append("Require:")
        lines += [f"  {name}: '{spec}'" for name, spec in requires.items()]
    return build_archive({"manifest.yaml": ("\n".join(lines) + "\n").encode()})


def build_repository(root: Path) -> Path:
    apps = root / "apps"
    apps.mkdir(parents=True)
    for file_name, folder in SAMPLE_FILES.items():
        (apps / file_name).write_bytes(build_archive(read_folder(SAMPLES / folder)))
    # A cycle A -> B -> C -> A, with C also requiring a leaf D.
    (apps / "org.cycle.A.zip").write_bytes(library("org.cycle.A", {"org.cycle.B": ""}))
    (apps / "org.cycle.B.zip").write_bytes(library("org.cycle.B", {"org.cycle.C": ""}))
    (apps / "org.cycle.C.zip").write_bytes(library("org.cycle.C", {"org.cycle.A": "",
                                                                   "org.cycle.D": ""}))
    (apps / "org.cycle.D.zip").write_bytes(library("org.cycle.D"))
    (apps / "org.broken.App.zip").write_bytes(
        library("org.broken.App", {"org.broken.Missing": "", "org.cycle.D": ""}))
    (apps / "org.wrong.Name.zip").write_bytes(library("org.other.Name"))
    (apps / "org.needs.WrongName.zip").write_bytes(
        library("org.needs.WrongName", {"org.wrong.Name": ""}))
    (apps / "org.hostile.Lib.zip").write_bytes(b"not a zip at all")
    (apps / "org.ranges.Ok.zip").write_bytes(
        library("org.ranges.Ok", {"com.example.fornace.MySql": ">=0.0.0,<1",
                                  "com.example.fornace.ApacheHttpServer": "==1.0.0"}))
    (apps / "org.ranges.TooNew.zip").write_bytes(
        library("org.ranges.TooNew", {"com.example.fornace.MySql": ">=2.0"}))
    bundles = root / "bundles"
    bundles.mkdir()
    (bundles / "web.bundle").write_text(json.dumps({"Packages": [
        {"Name": "com.example.fornace.Shop"},
        {"Name": "com.example.fornace.MonitorAgent", "Version": ""},
        {"Name": "com.example.fornace.MySql"},
        {"Version": "1.0"},   # no Name: skipped, as Murano's client did
    ]}))
    (bundles / "yaml.bundle").write_text(
        "Packages:\n  - Name: org.cycle.B\n  - Name: com.example.fornace.ApacheHttpServer\n"
        "    Version: 1.0.0\n")
    (bundles / "broken.bundle").write_text(json.dumps({"Packages": [{"Name": "org.nope.App"}]}))
    (bundles / "garbage.bundle").write_text("[1, 2, 3]")
    return root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self.requested.append(self.path)
        if self.path.startswith("/fail/"):
            self.send_error(500, "broken on purpose")
            return
        super().do_GET()


@pytest.fixture
def folder_repository(tmp_path: Path) -> Path:
    return build_repository(tmp_path / "repo")


@pytest.fixture
def http_repository(folder_repository: Path) -> Iterator[tuple[str, list[str]]]:
    requested: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"requested": requested})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(folder_repository)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def names(packages: list) -> list[str]:  # type: ignore[type-arg]
    return [p.fully_qualified_name for p in packages]


SHOP_ORDER = ["com.example.fornace.Common", "com.example.fornace.databases",
              "com.example.fornace.MySql", "com.example.fornace.ApacheHttpServer",
              "com.example.fornace.Shop"]


def test_http_import_returns_dependencies_first(http_repository: tuple[str, list[str]]) -> None:
    base, requested = http_repository
    with HttpRepository(base) as repository:
        packages = import_package("com.example.fornace.Shop", repository)
    assert names(packages) == SHOP_ORDER
    # Breadth-first fetching; the Require value is the version part of the file name;
    # io.murano.applications is a core library and never fetched.
    assert requested == ["/apps/com.example.fornace.Shop.zip",
                         "/apps/com.example.fornace.MySql.zip",
                         "/apps/com.example.fornace.ApacheHttpServer.1.0.0.zip",
                         "/apps/com.example.fornace.databases.zip",
                         "/apps/com.example.fornace.Common.zip"]
    assert packages[3].version == "1.0.0"


def test_folder_import_gives_the_same_order(folder_repository: Path) -> None:
    packages = import_package("com.example.fornace.Shop", FolderRepository(folder_repository))
    assert names(packages) == SHOP_ORDER


def test_cycles_are_allowed_and_leaves_come_first(folder_repository: Path) -> None:
    packages = import_package("org.cycle.A", FolderRepository(folder_repository))
    order = names(packages)
    assert sorted(order) == ["org.cycle.A", "org.cycle.B", "org.cycle.C", "org.cycle.D"]
    # The leaf first, then the cycle as one block in discovery order.
    assert order == ["org.cycle.D", "org.cycle.A", "org.cycle.B", "org.cycle.C"]


def test_missing_dependency_is_reported_by_name(http_repository: tuple[str, list[str]]) -> None:
    base, _ = http_repository
    with pytest.raises(PackageNotFound) as caught:
        import_package("org.broken.App", HttpRepository(base))
    assert caught.value.name == "org.broken.Missing"
    assert caught.value.required_by == "org.broken.App"
    assert caught.value.message == (
        f"package org.broken.Missing (required by org.broken.App) was not found in {base}")


def test_missing_dependency_can_be_skipped(folder_repository: Path) -> None:
    packages = import_package("org.broken.App", FolderRepository(folder_repository),
                              skip_missing=True)
    assert names(packages) == ["org.cycle.D", "org.broken.App"]


def test_missing_main_package(folder_repository: Path) -> None:
    with pytest.raises(PackageNotFound, match=r"^package org.nope.App was not found in "):
        import_package("org.nope.App", FolderRepository(folder_repository))


def test_versioned_file_that_does_not_exist(folder_repository: Path) -> None:
    with pytest.raises(PackageNotFound) as caught:
        import_package("com.example.fornace.MySql", FolderRepository(folder_repository),
                       version="2.0.0")
    assert caught.value.version == "2.0.0"


def test_repository_packages_are_validated(http_repository: tuple[str, list[str]]) -> None:
    base, _ = http_repository
    with pytest.raises(PackageError, match="not a zip archive"):
        import_package("org.hostile.Lib", HttpRepository(base))


def test_dependency_with_another_full_name_is_refused(folder_repository: Path) -> None:
    with pytest.raises(PackageError, match="the repository returned org.other.Name for "
                                           "org.wrong.Name"):
        import_package("org.needs.WrongName", FolderRepository(folder_repository))


def test_http_errors_become_repository_errors(http_repository: tuple[str, list[str]]) -> None:
    base, _ = http_repository
    with pytest.raises(RepositoryError, match=r"answered HTTP 500"):
        HttpRepository(base + "fail/").fetch_package("com.example.fornace.MySql")
    with pytest.raises(RepositoryError, match="cannot fetch"):
        HttpRepository("http://127.0.0.1:9/").fetch_package("com.example.fornace.MySql")


def test_download_over_the_size_limit_is_cut_short(
        http_repository: tuple[str, list[str]]) -> None:
    base, _ = http_repository
    repository = HttpRepository(base, limits=ArchiveLimits(size=1000))
    with pytest.raises(PackageError, match="is larger than the 1000 byte limit"):
        repository.fetch_package("com.example.fornace.MySql")


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", ".", ".."])
def test_names_that_are_paths_are_refused(folder_repository: Path, bad: str) -> None:
    with pytest.raises(PackageError, match="invalid package name"):
        FolderRepository(folder_repository).fetch_package(bad)


def test_bundle_resolves_as_one_operation(http_repository: tuple[str, list[str]]) -> None:
    base, _ = http_repository
    packages = import_bundle("web", HttpRepository(base))
    assert names(packages) == SHOP_ORDER + ["com.example.fornace.MonitorServer",
                                            "com.example.fornace.MonitorAgent"]


def test_yaml_bundle_with_versions_from_a_folder(folder_repository: Path) -> None:
    packages = import_bundle("yaml", FolderRepository(folder_repository))
    order = names(packages)
    assert order == ["org.cycle.D", "org.cycle.B", "org.cycle.C", "org.cycle.A",
                     "com.example.fornace.ApacheHttpServer"]


def test_bundle_with_missing_package(folder_repository: Path) -> None:
    with pytest.raises(PackageNotFound) as caught:
        import_bundle("broken", FolderRepository(folder_repository))
    assert caught.value.name == "org.nope.App"
    assert caught.value.required_by == "bundle broken"


def test_bundle_problems(folder_repository: Path) -> None:
    repository = FolderRepository(folder_repository)
    with pytest.raises(PackageNotFound, match="^bundle nothing was not found"):
        import_bundle("nothing", repository)
    with pytest.raises(PackageError, match="bundles/garbage.bundle: a bundle needs a Packages "
                                           "list"):
        import_bundle("garbage", repository)


def test_bundle_entry_with_url(http_repository: tuple[str, list[str]], tmp_path: Path) -> None:
    base, requested = http_repository
    root = tmp_path / "urlrepo" / "bundles"
    root.mkdir(parents=True)
    (root / "by-url.bundle").write_text(json.dumps({"Packages": [
        {"Name": "org.cycle.D", "Url": base + "apps/org.cycle.D.zip"}]}))
    local = FolderRepository(tmp_path / "urlrepo")
    http = HttpRepository(base)
    local_entries = local.fetch_bundle("by-url")
    assert local_entries[0].url == base + "apps/org.cycle.D.zip"
    assert http.fetch_url(local_entries[0].url).fully_qualified_name == "org.cycle.D"
    assert requested[-1] == "/apps/org.cycle.D.zip"


def test_local_file_with_dependencies_from_repository(folder_repository: Path,
                                                      tmp_path: Path) -> None:
    archive = tmp_path / "agent.zip"
    archive.write_bytes(build_archive(read_folder(SAMPLES / "monitor-agent")))
    packages = import_package_file(archive, FolderRepository(folder_repository))
    assert names(packages) == ["com.example.fornace.MonitorServer",
                               "com.example.fornace.MonitorAgent"]
    from_folder = import_package_file(SAMPLES / "monitor-agent", FolderRepository(
        folder_repository))
    assert names(from_folder) == names(packages)
    with pytest.raises(PackageNotFound, match="required by com.example.fornace.MonitorAgent"):
        import_package_file(archive, None)


def test_open_repository_picks_the_kind(folder_repository: Path, tmp_path: Path) -> None:
    assert isinstance(open_repository(folder_repository), FolderRepository)
    assert isinstance(open_repository("https://apps.example.org/repo"), HttpRepository)
    assert open_repository("https://apps.example.org/repo").location == (
        "https://apps.example.org/repo/")
    with pytest.raises(RepositoryError, match="is neither a URL nor a folder"):
        open_repository(tmp_path / "absent")


def test_ranges_fetch_the_unversioned_file_and_check_it(
        http_repository: tuple[str, list[str]]) -> None:
    base, requested = http_repository
    packages = import_package("org.ranges.Ok", HttpRepository(base))
    assert names(packages)[-3:] == ["com.example.fornace.MySql",
                                    "com.example.fornace.ApacheHttpServer", "org.ranges.Ok"]
    # A range is no file name; an exact "==1.0.0" still names the versioned file.
    assert requested[1:3] == ["/apps/com.example.fornace.MySql.zip",
                              "/apps/com.example.fornace.ApacheHttpServer.1.0.0.zip"]
    with pytest.raises(PackageNotFound) as caught:
        import_package("org.ranges.TooNew", HttpRepository(base))
    assert caught.value.message == (
        "package com.example.fornace.MySql version >=2.0 (required by org.ranges.TooNew) "
        f"was not found in {base}")


@pytest.mark.parametrize(("spec", "file_part"), [
    ("", ""), ("1.0.0", "1.0.0"), ("2", "2"), ("==1.2.3", "1.2.3"), ("=0.1", "0.1"),
    (">=1.0", ""), ("*", ""), ("<2,>=1", ""), ("1.0.0-rc1", "1.0.0-rc1")])
def test_file_version_of_require_values(spec: str, file_part: str) -> None:
    assert file_version(spec) == file_part
