"""Heat packages: the generated MuranoPL class and UI follow Murano's translation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from catalog_data import SAMPLES

from fornace.catalog import PackageContents, YaqlExpression, load_folder
from fornace.catalog.yaml_loader import load_yaml

FQN = "com.example.fornace.HeatWebServer"


@pytest.fixture(scope="module")
def contents() -> PackageContents:
    return PackageContents(load_folder(SAMPLES / "heat-web").archive)


def test_package_fields(contents: PackageContents) -> None:
    package = contents.package
    assert package.classes == {FQN: "template.yaml"}
    assert package.requirements == {}
    assert package.type == "Application"


def test_generated_class_properties(contents: PackageContents) -> None:
    definition = contents.class_definition(FQN)
    document = definition.document
    assert definition.file == "template.yaml"
    assert document["Name"] == FQN
    assert document["Extends"] == "io.murano.Application"
    properties = document["Properties"]
    assert properties["generatedHeatStackName"] == {"Contract": "$.string()", "Usage": "Out"}
    assert properties["name"]["Contract"] == "$.string().notNull()"
    assert properties["templateParameters"]["Contract"] == {
        "flavor": "$.string().check($ in list('m1.small', 'm1.medium', 'm1.large'))",
        "image": "$.string()",
        "site_name": "$.string().check(len($) >= 3 and len($) <= 40).check(len($) <= 32)"
                     ".check(matches($, '[a-z][a-z0-9-]*'))",
        "port": "$.int().check($ >= 1024 and $ <= 65535)",
        "enable_tls": "$.bool()",
        "volume_size": "$.int().check($ >= 1)",
    }
    assert all(isinstance(c, YaqlExpression)
               for c in properties["templateParameters"]["Contract"].values())
    assert properties["templateOutputs"]["Contract"] == {"server_ip": "$.string()",
                                                         "site_url": "$.string()"}
    assert properties["templateOutputs"]["Usage"] == "Out"


def test_generated_workflow(contents: PackageContents) -> None:
    document = contents.class_definition(FQN).document
    deploy = document["Methods"]["deploy"]["Body"]
    files_step = next(step for step in deploy if isinstance(step, dict) and "$files" in step)
    assert files_step["$files"] == {
        "nested/volume.yaml": "$resources.string('HotFiles/nested/volume.yaml')"}
    assert "$stack.push()" in deploy[-1]["Try"]
    assert document["Methods"]["destroy"]["Body"][-1] == "$stack.delete()"
    # Literal strings are quoted in the text, so they can never be read as expressions.
    text = contents.class_definition(FQN).text
    assert '"Extends": "io.murano.Application"' in text
    assert '!yaql "$stack.delete()"' in text


def test_template_is_a_resource_named_after_the_package(contents: PackageContents) -> None:
    assert contents.read_resource(FQN) == (SAMPLES / "heat-web" / "template.yaml").read_bytes()
    assert contents.resources() == ["HotFiles/nested/volume.yaml", FQN]


def test_generated_ui(contents: PackageContents) -> None:
    ui = load_yaml(contents.ui_definition or "")
    assert ui["Version"] == 2
    assert [next(iter(form)) for form in ui["Forms"]] == ["group0", "group1", "group2", "group3"]
    group0 = ui["Forms"][0]["group0"]["fields"]
    assert [f["name"] for f in group0] == ["title", "name"]
    assert group0[0]["description"] == contents.package.description
    assert ui["Application"] == {
        "?": {"type": FQN, "package": FQN, "classVersion": "0.0.0"},
        "name": "$.group0.name",
        "templateParameters": {"flavor": "$.group1.flavor", "image": "$.group1.image",
                               "site_name": "$.group2.site_name", "port": "$.group2.port",
                               "enable_tls": "$.group3.enable_tls",
                               "volume_size": "$.group3.volume_size"}}
    fields = {f["name"]: f for form in ui["Forms"] for f in next(iter(form.values()))["fields"]}
    assert fields["site_name"]["minLength"] == 3
    assert fields["site_name"]["maxLength"] == 32        # the tightest bound wins
    assert fields["site_name"]["validators"] == [
        {"expr": {"regexpValidator": "[a-z][a-z0-9-]*"},
         "message": "lower case letters, digits and dashes"}]
    assert fields["port"] == {"name": "port", "label": "Port", "type": "integer",
                              "initial": 8080, "required": False,
                              "validators": [{"expr": "$ >= 1024 and $ <= 65535",
                                              "message": "an unprivileged port"}]}
    assert fields["enable_tls"]["type"] == "boolean"
    assert fields["flavor"]["label"] == "Flavor"
    assert fields["volume_size"]["label"] == "Volume Size"
    assert fields["image"]["required"] is True


def test_environments_disable_parameter_contracts(tmp_path: Path) -> None:
    package = tmp_path / "heat"
    shutil.copytree(SAMPLES / "heat-web", package)
    (package / "Resources" / "HotEnvironments").mkdir()
    (package / "Resources" / "HotEnvironments" / "prod.yaml").write_text(
        "parameters:\n  image: ubuntu\n")
    contents = PackageContents(load_folder(package).archive)
    properties = contents.class_definition(FQN).document["Properties"]
    assert properties["templateParameters"]["Contract"] == {}
    assert contents.read_resource("HotEnvironments/prod.yaml").startswith(b"parameters:")
