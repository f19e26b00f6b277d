"""The sample packages load, validate, round-trip, and together cover murano-apps' features."""

from __future__ import annotations

from pathlib import Path

import pytest
import semantic_version
import yaml
from catalog_data import SAMPLES

from fornace.catalog import (
    LoadedPackage,
    PackageContents,
    YaqlExpression,
    build_archive,
    load_folder,
    load_package,
)
from fornace.catalog.archive import read_archive, read_folder
from fornace.catalog.yaml_loader import load_yaml

SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())


def _load(name: str) -> LoadedPackage:
    return load_folder(SAMPLES / name)


def _by_name() -> dict[str, LoadedPackage]:
    return {p.fully_qualified_name: p for p in map(_load, SAMPLE_NAMES)}


def test_sample_set_is_complete() -> None:
    assert SAMPLE_NAMES == ["apache", "cluster", "common", "databases", "heat-web",
                            "monitor-agent", "monitor-server", "mysql", "shop"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_round_trips_through_archives(name: str) -> None:
    first = _load(name)
    contents = PackageContents(first.archive)
    again_bytes = contents.to_archive()
    again = load_package(again_bytes)
    # Same bytes: the archive writer is deterministic and keeps every file.
    assert again_bytes == first.archive
    assert read_archive(again_bytes) == read_folder(SAMPLES / name)
    for field in ("format", "fully_qualified_name", "name", "version", "type", "description",
                  "author", "supplier", "tags", "requirements", "classes", "ui_definition",
                  "logo", "supplier_logo", "meta", "images", "format_version"):
        assert getattr(again, field) == getattr(first, field), field
    second = PackageContents(again_bytes)
    assert second.class_definitions == contents.class_definitions
    assert second.resources() == contents.resources()


def test_manifest_fields_of_a_full_sample() -> None:
    apache = _load("apache")
    assert apache.format == "MuranoPL/1.4"
    assert apache.format_version == "1.4.0"
    assert apache.version == "1.0.0"
    assert apache.type == "Application"
    assert apache.name == "Apache HTTP Server (sample)"
    assert apache.tags == ("HTTP", "Server", "WebServer", "HTML", "Apache")
    assert apache.supplier["CompanyUrl"] == {"Text": "www.example.org",
                                             "Link": "https://www.example.org/"}
    assert apache.logo == (SAMPLES / "apache" / "apache.jpg").read_bytes()
    assert apache.supplier_logo == (SAMPLES / "apache" / "supplier.gif").read_bytes()
    assert apache.classes == {
        "com.example.fornace.ApacheHttpServer": "Classes/ApacheHttpServer.yaml",
        "com.example.fornace.test.ApacheTest": "Classes/tests/ApacheTest.yaml",
    }


def test_formats_defaults_and_bare_versions() -> None:
    by_name = _by_name()
    assert by_name["com.example.fornace.MonitorServer"].format == "MuranoPL/1.0"  # no Format
    assert by_name["com.example.fornace.MySql"].format == "MuranoPL/1.3"          # bare 1.3
    assert by_name["com.example.fornace.Cluster"].format == "MuranoPL/1.2"
    assert by_name["com.example.fornace.HeatWebServer"].format == "Heat.HOT/1.0"
    assert by_name["com.example.fornace.MySql"].version == "0.0.0"
    assert by_name["com.example.fornace.MonitorServer"].description == (
        "A monitoring server with a web front end.")


def test_library_with_abstract_interface() -> None:
    library = _load("databases")
    assert library.type == "Library"
    assert library.ui_definition is None
    definition = PackageContents(library.archive).class_definition(
        "com.example.fornace.databases.SqlDatabase")
    methods = definition.document["Methods"]
    abstract = sorted(name for name, body in methods.items() if "Body" not in body)
    assert abstract == ["assignUser", "createDatabase", "createUser", "getConnectionString"]
    implementer = PackageContents(_load("mysql").archive).class_definition(
        "com.example.fornace.MySql")
    assert implementer.document["Extends"] == "db:SqlDatabase"
    assert set(abstract) <= set(implementer.document["Methods"])


def test_require_chain_is_four_deep() -> None:
    by_name = _by_name()
    chain = ["com.example.fornace.Shop"]
    while True:
        requirements = [r for r in by_name[chain[-1]].requirements if r in by_name]
        if not requirements:
            break
        chain.append(requirements[0])
    assert chain == ["com.example.fornace.Shop", "com.example.fornace.MySql",
                     "com.example.fornace.databases", "com.example.fornace.Common"]
    assert by_name["com.example.fornace.Shop"].requirements == {
        "com.example.fornace.MySql": "", "com.example.fornace.ApacheHttpServer": "1.0.0",
        "io.murano.applications": ""}


def test_ui_versions_cover_2_0_to_2_4_with_templates_and_yaql() -> None:
    documents = {p.fully_qualified_name: load_yaml(p.ui_definition)
                 for p in _by_name().values() if p.ui_definition}
    versions = {semantic_version.Version.coerce(str(d.get("Version"))) for d in documents.values()}
    assert {str(v) for v in versions} >= {"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0"}
    shop = documents["com.example.fornace.Shop"]
    assert shop["ParametersSource"] == "com.example.fornace.Shop.getSettings"
    assert shop["Application"]["config"] == "ref(shopConfig)"
    cluster = documents["com.example.fornace.Cluster"]
    assert cluster["Version"] == 2
    assert cluster["Application"]["nodes"] == (
        "repeat($regularNode, $.appConfiguration.nodeCount - 1)")
    assert set(cluster["Templates"]) == {"seedNode", "regularNode"}


def test_resources_execution_plan_templates_and_scripts() -> None:
    contents = PackageContents(_load("monitor-agent").archive)
    assert contents.resources() == ["AddProbe.template", "DeployAgent.template",
                                    "scripts/addProbe.py", "scripts/deployAgent.sh",
                                    "scripts/monitorApi.py", "scripts/runProbe.sh"]
    plan = yaml.safe_load(contents.read_resource("AddProbe.template"))
    assert plan["FormatVersion"] == "2.0.0"
    assert plan["Scripts"]["addProbe"]["EntryPoint"] == "runProbe.sh"
    for attachment in plan["Scripts"]["addProbe"]["Files"]:
        assert contents.read_resource("scripts/" + attachment.strip("<>"))


def test_test_fixture_class_is_a_class_of_the_package() -> None:
    contents = PackageContents(_load("apache").archive)
    fixture = contents.class_definition("com.example.fornace.test.ApacheTest")
    assert fixture.file == "Classes/tests/ApacheTest.yaml"
    assert fixture.document["Extends"] == "test:TestFixture"
    assert "testDeploySetsAttribute" in fixture.document["Methods"]


def test_two_classes_in_one_file_and_namespace_forms() -> None:
    shop = PackageContents(_load("shop").archive)
    assert {d.file for d in shop.class_definitions.values()} == {"Classes/Shop.yaml"}
    assert shop.class_definition("com.example.fornace.ShopConfig").document["Name"] == "ShopConfig"
    cluster = PackageContents(_load("cluster").archive)
    node = cluster.class_definition("com.example.fornace.cluster.ClusterNode")
    assert node.document["Name"] == ":ClusterNode"
    assert node.file == "Classes/nodes/ClusterNode.yaml"


def test_yaql_tags_are_kept_as_data() -> None:
    definition = PackageContents(_load("databases").archive).class_definition(
        "com.example.fornace.databases.SqlDatabase")
    returned = definition.document["Methods"]["describe"]["Body"][0]["Return"]
    assert isinstance(returned, YaqlExpression)
    assert returned == "format('{0} ({1})', $.name, type($this))"


def test_package_meta_and_images_list() -> None:
    common = _load("common")
    assert common.meta == {"com.example.fornace.common.Title": {"text": "Common helpers"}}
    server = _load("monitor-server")
    assert [i["Name"] for i in server.images] == ["monitor-appliance.qcow2"]
    assert server.images[0]["Meta"] == {"title": "Monitoring appliance (sample)", "type": "linux"}


def test_folder_and_archive_give_the_same_package(tmp_path: Path) -> None:
    files = read_folder(SAMPLES / "shop")
    archive = build_archive(files)
    assert load_package(archive) == load_folder(SAMPLES / "shop")
