"""PackageContents: what the engine reads from a stored package."""

from __future__ import annotations

import pytest
from catalog_data import SAMPLES

from fornace.catalog import PackageContents, PackageError, load_folder


@pytest.fixture(scope="module")
def shop() -> PackageContents:
    return PackageContents(load_folder(SAMPLES / "shop").archive)


def test_read_files_and_resources(shop: PackageContents) -> None:
    assert shop.read("Resources/scripts/shop.conf") == (
        SAMPLES / "shop" / "Resources" / "scripts" / "shop.conf").read_bytes()
    assert shop.read_resource("DeployShop.template").startswith(b"FormatVersion: 2.1.0")
    assert shop.resources() == ["DeployShop.template", "scripts/deployShop.sh",
                                "scripts/shop.conf"]
    assert "manifest.yaml" in shop.files
    assert shop.ui_definition == (SAMPLES / "shop" / "UI" / "ui.yaml").read_text()


@pytest.mark.parametrize(("path", "message"), [
    ("../manifest.yaml", "entry name '../manifest.yaml' leaves the package root"),
    ("/etc/passwd", "entry name '/etc/passwd' is an absolute path"),
    ("Resources/..\\..\\x", "contains a backslash"),
    ("Resources/absent.sh", "Resources/absent.sh: no such file in package "
                            "com.example.fornace.Shop"),
])
def test_reads_are_confined_to_the_package(shop: PackageContents, path: str,
                                           message: str) -> None:
    with pytest.raises(PackageError, match=message.replace("\\", "\\\\").replace(".", r"\.")):
        shop.read(path)


def test_class_definitions(shop: PackageContents) -> None:
    definitions = shop.class_definitions
    assert sorted(definitions) == ["com.example.fornace.Shop", "com.example.fornace.ShopConfig"]
    shop_class = definitions["com.example.fornace.Shop"]
    assert shop_class.file == "Classes/Shop.yaml"
    assert shop_class.document["Methods"]["populateDemoData"]["Usage"] == "Action"
    assert shop_class.text == (SAMPLES / "shop" / "Classes" / "Shop.yaml").read_text()
    with pytest.raises(PackageError, match="Unable to load class 'com.example.Nope'"):
        shop.class_definition("com.example.Nope")


def test_contents_validate_like_upload() -> None:
    with pytest.raises(PackageError, match="not a zip archive"):
        PackageContents(b"junk")
