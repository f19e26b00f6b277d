"""package-*, bundle-* and category-* commands against a live API."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import httpx
from conftest import PACKAGES, Fornace

from fornace.catalog.builder import build_package_folder

MYSQL = "com.example.fornace.MySql"


def _zip(tmp_path: Path, folder: str) -> Path:
    archive, package = build_package_folder(PACKAGES / folder)
    target = tmp_path / f"{package.fully_qualified_name}.zip"
    target.write_bytes(archive)
    return target


def test_import_file_show_update_download_delete(fornace: Fornace, api: httpx.Client,
                                                 tmp_path: Path) -> None:
    apache = _zip(tmp_path, "apache")
    [package] = fornace.json("package-import", str(apache), "-c", "Web", "--is-public")
    assert package["fully_qualified_name"] == "com.example.fornace.ApacheHttpServer"
    stored = api.get(f"/v1/catalog/packages/{package['id']}").json()
    assert stored["categories"] == ["Web"] and stored["is_public"] is True

    shown = fornace.json("package-show", package["id"])
    assert shown["class_definitions"] == stored["class_definitions"]
    updated = fornace.json("package-update", package["id"], "--enabled", "false",
                           "--tags", "a", "--tags", "b", "--name", "Renamed")
    assert (updated["enabled"], updated["tags"], updated["name"]) == (False, ["a", "b"],
                                                                       "Renamed")
    assert api.get(f"/v1/catalog/packages/{package['id']}").json()["enabled"] is False
    assert fornace("package-update", package["id"], "--enabled", "maybe").exit_code == 2

    listed = fornace.json("package-list", "--include-disabled", "--fqn",
                          "com.example.fornace.ApacheHttpServer")
    assert [p["id"] for p in listed] == [package["id"]]
    assert fornace.json("package-list") == []          # disabled ones are hidden by default

    target = tmp_path / "down.zip"
    fornace.ok("package-download", package["id"], str(target))
    assert zipfile.ZipFile(target).read("manifest.yaml") == \
        zipfile.ZipFile(apache).read("manifest.yaml")

    result = fornace("package-delete", package["id"], "0" * 32)
    assert result.exit_code == 0
    assert f"Deleted package '{package['id']}'" in result.stderr
    assert f"Failed to delete '{'0' * 32}'; package not found" in result.stderr
    assert api.get(f"/v1/catalog/packages/{package['id']}").status_code == 404


def test_import_by_name_resolves_dependencies_first(fornace: Fornace, api: httpx.Client,
                                                    repository: Path) -> None:
    imported = fornace.json("package-import", MYSQL, "--repo-url", str(repository))
    assert [p["fully_qualified_name"] for p in imported] == [
        "com.example.fornace.Common", "com.example.fornace.databases", MYSQL]
    names = {p["fully_qualified_name"] for p in api.get("/v1/catalog/packages").json()["packages"]}
    assert names == {p["fully_qualified_name"] for p in imported}


def test_exists_action_skip_update_abort(fornace: Fornace, api: httpx.Client,
                                         tmp_path: Path) -> None:
    apache = str(_zip(tmp_path, "apache"))
    [first] = fornace.json("package-import", apache)
    skipped = fornace("package-import", apache, "--exists-action", "s")
    assert skipped.exit_code == 0 and "Skipping." in skipped.stderr
    aborted = fornace("package-import", apache, "--exists-action", "a")
    assert aborted.exit_code == 1 and "already exists" in aborted.stderr
    [second] = fornace.json("package-import", apache, "--exists-action", "u")
    assert second["id"] != first["id"]
    ids = [p["id"] for p in api.get("/v1/catalog/packages").json()["packages"]]
    assert ids == [second["id"]]


def test_import_unknown_name_without_repository_says_what_to_do(fornace: Fornace) -> None:
    result = fornace("package-import", "com.example.Nothing")
    assert result.exit_code == 1
    assert "no repository is set: pass --repo-url" in result.stderr


def test_package_save_and_bundles(fornace: Fornace, api: httpx.Client, repository: Path,
                                  tmp_path: Path) -> None:
    out = tmp_path / "saved"
    fornace.ok("package-save", MYSQL, "--repo-url", str(repository), "-p", str(out))
    assert sorted(p.name for p in out.iterdir()) == [
        "com.example.fornace.Common.zip", "com.example.fornace.MySql.zip",
        "com.example.fornace.databases.zip"]
    bundle = tmp_path / "web.bundle"
    bundle.write_text(json.dumps({"Packages": [
        {"Name": MYSQL}, {"Name": "com.example.fornace.MonitorServer"}]}))
    out2 = tmp_path / "bundle-out"
    fornace.ok("bundle-save", str(bundle), "--repo-url", str(repository), "-p", str(out2))
    assert len(list(out2.iterdir())) == 4
    imported = fornace.json("bundle-import", str(bundle), "--repo-url", str(repository),
                            "--is-public")
    assert {p["fully_qualified_name"] for p in imported} == {
        "com.example.fornace.Common", "com.example.fornace.databases", MYSQL,
        "com.example.fornace.MonitorServer"}
    assert all(p["is_public"] for p in api.get("/v1/catalog/packages").json()["packages"])


def test_categories(fornace: Fornace, api: httpx.Client, tmp_path: Path) -> None:
    [created] = fornace.json("category-create", "Testing")
    assert any(c["id"] == created["id"] for c in fornace.json("category-list"))
    fornace.ok("package-import", str(_zip(tmp_path, "apache")), "-c", "Testing")
    shown = fornace.json("category-show", created["id"])
    assert shown == {"id": created["id"], "name": "Testing",
                     "packages": "Apache HTTP Server (sample)"}
    user = fornace("category-create", "Nope", token="alice:p1")
    assert user.exit_code == 7 and user.stderr.startswith("Error: ")
    assert len(user.stderr.strip().splitlines()) <= 2
    conflict = fornace("category-create", "Testing")
    assert conflict.exit_code == 5 and "(HTTP 409)" in conflict.stderr
    missing = fornace("category-show", "0" * 32)
    assert missing.exit_code == 4
    fornace.ok("package-delete", *[p["id"] for p in
                                   api.get("/v1/catalog/packages").json()["packages"]])
    remaining = fornace.json("category-delete", created["id"])
    assert created["id"] not in [c["id"] for c in remaining]


def test_import_from_an_http_repository_by_url_and_name(fornace: Fornace, api: httpx.Client,
                                                        repository: Path) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(repository))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            imported = fornace.json("package-import", f"{base}apps/{MYSQL}.zip",
                                    "--repo-url", base)
            assert [p["fully_qualified_name"] for p in imported][-1] == MYSQL
            assert len(imported) == 3
            again = fornace.json("package-import", "com.example.fornace.MonitorServer",
                                 "--repo-url", base, "--exists-action", "s")
            assert [p["fully_qualified_name"] for p in again] == [
                "com.example.fornace.MonitorServer"]
        finally:
            server.shutdown()
    assert len(api.get("/v1/catalog/packages").json()["packages"]) == 4


def test_exists_action_is_asked_when_not_given(fornace: Fornace, tmp_path: Path) -> None:
    apache = str(_zip(tmp_path, "apache"))
    fornace.ok("package-import", apache)
    asked = fornace("package-import", apache, input="s\n")
    assert asked.exit_code == 0
    assert "What do you want to do? (s)kip, (u)pdate, (a)bort" in asked.stderr
    assert "Skipping." in asked.stderr
