"""Archive limits are configurable, folders are read safely, archives are deterministic."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from catalog_data import SAMPLES

from fornace.catalog import ArchiveLimits, PackageError, build_archive, load_folder, load_package
from fornace.catalog.archive import read_archive, read_folder
from fornace.config import Settings

MANIFEST = b"Format: 1.3\nType: Library\nFullName: org.limits.Lib\n"


def test_limits_come_from_settings() -> None:
    settings = Settings(package_size_limit_mb=2, package_unpacked_limit_mb=3)
    limits = ArchiveLimits.from_settings(settings)
    assert (limits.size, limits.unpacked) == (2 * 1024 * 1024, 3 * 1024 * 1024)
    assert ArchiveLimits() == ArchiveLimits(size=5 * 1024 * 1024, unpacked=50 * 1024 * 1024,
                                            entries=2000, ratio=100)


def test_size_limit_argument_of_load_package() -> None:
    archive = build_archive({"manifest.yaml": MANIFEST})
    assert load_package(archive).fully_qualified_name == "org.limits.Lib"
    with pytest.raises(PackageError, match=f"the archive is {len(archive)} bytes, over the "
                                           "100 byte limit"):
        load_package(archive, size_limit=100)


def test_unpacked_limit_counts_real_content() -> None:
    files = {"manifest.yaml": MANIFEST, "Resources/a.txt": os.urandom(3000),
             "Resources/b.txt": os.urandom(3000)}
    archive = build_archive(files)
    assert read_archive(archive, ArchiveLimits(unpacked=7000)) == files
    with pytest.raises(PackageError, match="the unpacked package would exceed the 5000 byte"):
        read_archive(archive, ArchiveLimits(unpacked=5000))


def test_entry_and_ratio_limits_are_configurable() -> None:
    archive = build_archive({"manifest.yaml": MANIFEST, "Resources/zeros": bytes(200_000)})
    with pytest.raises(PackageError, match="the archive has 2 entries, over the 1 entry limit"):
        read_archive(archive, ArchiveLimits(entries=1))
    with pytest.raises(PackageError, match="over the 100x compression ratio limit"):
        read_archive(archive)
    assert len(read_archive(archive, ArchiveLimits(ratio=10_000))["Resources/zeros"]) == 200_000


def test_small_files_are_exempt_from_the_ratio_check() -> None:
    archive = build_archive({"manifest.yaml": MANIFEST, "Resources/pad": bytes(60_000)})
    assert len(read_archive(archive)["Resources/pad"]) == 60_000


def test_directory_entries_are_skipped() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Classes/", b"")
        zf.writestr("manifest.yaml", MANIFEST)
    assert read_archive(buffer.getvalue()) == {"manifest.yaml": MANIFEST}


def test_build_archive_is_deterministic_and_sorted() -> None:
    files = {"b.txt": b"2", "a/c.txt": b"3", "manifest.yaml": MANIFEST}
    first = build_archive(files)
    assert first == build_archive(dict(reversed(list(files.items()))))
    assert zipfile.ZipFile(io.BytesIO(first)).namelist() == ["a/c.txt", "b.txt", "manifest.yaml"]


def test_folder_with_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_bytes(MANIFEST)
    (tmp_path / "Resources").mkdir()
    (tmp_path / "Resources" / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(PackageError) as caught:
        read_folder(tmp_path)
    assert caught.value.file == "Resources/passwd"
    assert caught.value.message == "Resources/passwd: 'Resources/passwd' is a symbolic link"


def test_folder_limits(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_bytes(MANIFEST)
    (tmp_path / "big.bin").write_bytes(bytes(10_000))
    with pytest.raises(PackageError, match="would exceed the 5000 byte limit"):
        read_folder(tmp_path, ArchiveLimits(unpacked=5000))
    with pytest.raises(PackageError, match="has more than 1 files"):
        read_folder(tmp_path, ArchiveLimits(entries=1))
    with pytest.raises(PackageError, match="is not a folder"):
        load_folder(tmp_path / "absent")


def test_sample_folder_matches_its_archive() -> None:
    package = load_folder(SAMPLES / "mysql")
    assert read_archive(package.archive) == read_folder(SAMPLES / "mysql")
