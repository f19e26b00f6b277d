"""Logos: sniffed content, size limit, default and named files."""

from __future__ import annotations

import random

import pytest
from catalog_data import SAMPLES

from fornace.catalog import PackageError, build_archive, load_package
from fornace.catalog.logos import MAX_LOGO_BYTES, sniff_image

PNG = (SAMPLES / "mysql" / "logo.png").read_bytes()
JPEG = (SAMPLES / "apache" / "apache.jpg").read_bytes()
GIF = (SAMPLES / "apache" / "supplier.gif").read_bytes()
MANIFEST = "Format: 1.3\nType: Library\nFullName: org.logos.Lib\n"


def package(manifest: str = MANIFEST, **files: bytes) -> bytes:
    contents = {"manifest.yaml": manifest.encode()}
    contents.update({name.replace("__", "/").replace("_dot_", "."): data
                     for name, data in files.items()})
    return build_archive(contents)


@pytest.mark.parametrize(("content", "kind"), [
    (PNG, "png"), (JPEG, "jpeg"), (GIF, "gif"), (b"GIF87a" + bytes(10), "gif"),
    (b"BM" + bytes(50), None), (b"<svg/>", None), (b"", None), (PNG[1:], None)])
def test_sniffing_reads_content_not_names(content: bytes, kind: str | None) -> None:
    assert sniff_image(content) == kind


def test_default_logo_files_are_optional_and_picked_up() -> None:
    assert load_package(package()).logo is None
    loaded = load_package(package(logo_dot_png=PNG, supplier_logo_dot_png=GIF))
    assert (loaded.logo, loaded.supplier_logo) == (PNG, GIF)


def test_named_logo_with_any_extension_is_sniffed() -> None:
    loaded = load_package(package(MANIFEST + "Logo: pictures/app.img\n",
                                  pictures__app_dot_img=JPEG))
    assert loaded.logo == JPEG


def test_size_limit_boundary() -> None:
    exact = PNG + random.Random(5).randbytes(MAX_LOGO_BYTES - len(PNG))
    assert load_package(package(logo_dot_png=exact)).logo == exact
    with pytest.raises(PackageError) as caught:
        load_package(package(logo_dot_png=exact + b"\x00"))
    assert caught.value.message == (
        "logo.png: logo: image size 512001 is too large. Max allowed size is 512000")


def test_named_logo_outside_the_package_is_refused() -> None:
    with pytest.raises(PackageError, match="leaves the package root"):
        load_package(package(MANIFEST + "Logo: ../logo.png\n", logo_dot_png=PNG))
