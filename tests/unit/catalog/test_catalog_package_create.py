"""``fornace package-create`` builds archives the loader accepts, like murano package-create."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalog_data import SAMPLES
from click.testing import CliRunner

from fornace.catalog import load_package
from fornace.catalog.archive import read_archive, read_folder
from fornace.catalog.yaml_loader import load_yaml
from fornace.cli.exit_codes import ExitCode
from fornace.cli.main import cli, main


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["package-create", *args])
        return result.exit_code, result.output

    return invoke


def test_from_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, output = run(str(SAMPLES / "mysql"))
    assert code == 0, output
    target = tmp_path / "com.example.fornace.MySql.zip"
    assert output.strip() == f"Application package is available at {target}"
    assert read_archive(target.read_bytes()) == read_folder(SAMPLES / "mysql")


def _fail(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    with pytest.raises(SystemExit) as exited:
        main(["package-create", *args])
    assert exited.value.code == ExitCode.INVALID_INPUT   # a PackageError is InvalidInput
    return capsys.readouterr().err.splitlines()


def test_from_folder_refuses_an_invalid_package(
        run, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    bad = SAMPLES.parent / "bad_packages" / "class_file_missing"
    assert _fail(capsys, str(bad), "-o", "out.zip") == [
        "Error: Classes/Helper.yaml: class com.example.bad.Helper is listed in manifest.yaml "
        "but the file is missing",
        "Hint: add the file or remove the entry from Classes"]
    assert not Path("out.zip").exists()


def test_from_heat_template_with_defaults(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "my_web-site.yaml"
    template.write_bytes((SAMPLES / "heat-web" / "template.yaml").read_bytes())
    code, output = run("--template", str(template), "--author", "Ada")
    assert code == 0, output
    package = load_package((tmp_path / "my_web-site.zip").read_bytes())
    assert package.format == "Heat.HOT/1.0"
    assert package.fully_qualified_name == "io.murano.apps.generated.MyWebSite"
    assert package.name == "my_web-site"
    assert package.description == "One server running a web server, with a data volume."
    assert package.author == "Ada"
    assert package.tags == ("Heat-generated",)
    assert package.classes == {"io.murano.apps.generated.MyWebSite": "template.yaml"}


def test_from_heat_template_with_options(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, output = run(
        "--template", str(SAMPLES / "heat-web" / "template.yaml"),
        "--name", "Web", "--full-name", "org.example.Web", "--description", "A site",
        "--tags", "web", "--tags", "heat", "--logo", str(SAMPLES / "heat-web" / "logo.png"),
        "--resources-dir", str(SAMPLES / "heat-web" / "Resources"), "-o", "web.zip")
    assert code == 0, output
    package = load_package((tmp_path / "web.zip").read_bytes())
    assert (package.fully_qualified_name, package.name, package.description, package.tags) == (
        "org.example.Web", "Web", "A site", ("web", "heat"))
    assert package.logo == (SAMPLES / "heat-web" / "logo.png").read_bytes()
    assert "Resources/HotFiles/nested/volume.yaml" in read_archive(package.archive)


def test_from_classes_dir_infers_the_manifest(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, output = run("--classes-dir", str(SAMPLES / "apache" / "Classes"),
                       "--ui", str(SAMPLES / "apache" / "UI" / "ui.yaml"),
                       "--resources-dir", str(SAMPLES / "apache" / "Resources"),
                       "-o", "apache.zip")
    assert code == 0, output
    package = load_package((tmp_path / "apache.zip").read_bytes())
    assert package.type == "Application"
    assert package.fully_qualified_name == "com.example.fornace.ApacheHttpServer"
    assert package.name == "ApacheHttpServer"
    assert package.format == "MuranoPL/1.0"
    assert package.classes == {
        "com.example.fornace.ApacheHttpServer": "Classes/ApacheHttpServer.yaml",
        "com.example.fornace.test.ApacheTest": "Classes/tests/ApacheTest.yaml"}
    manifest = load_yaml(read_archive(package.archive)["manifest.yaml"])
    assert manifest["Classes"]["com.example.fornace.test.ApacheTest"] == "tests/ApacheTest.yaml"


def test_classes_dir_application_needs_ui(
        run, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert _fail(capsys, "--classes-dir", str(SAMPLES / "apache" / "Classes")) == [
        "Error: an Application package needs a UI definition",
        "Hint: give --ui path/to/ui.yaml"]


def test_library_from_classes_dir(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, output = run("--classes-dir", str(SAMPLES / "databases" / "Classes"),
                       "--type", "Library", "--full-name", "org.example.Db", "-o", "db.zip")
    assert code == 0, output
    package = load_package((tmp_path / "db.zip").read_bytes())
    assert (package.type, package.fully_qualified_name) == ("Library", "org.example.Db")


def test_exactly_one_source(run) -> None:  # type: ignore[no-untyped-def]
    code, output = run()
    assert code == 2
    assert "give exactly one of FOLDER, --template or --classes-dir" in output
