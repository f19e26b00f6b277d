"""Fixtures of the catalog API tests: package builders, callers, table snapshots."""

from __future__ import annotations

import itertools
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import create_engine, select

from fornace.db.models import Base
from fornace.testing.packages import DEFAULT_UI, tiny_png

from .catalog_helpers import ADMIN, CATALOG_TABLES, auth


def _class_document(fqn: str) -> str:
    namespace, _, short = fqn.rpartition(".")
    return yaml.safe_dump({
        "Namespaces": {"=": namespace, "std": "io.murano"},
        "Name": short,
        "Extends": "std:Application",
        "Methods": {"deploy": {"Body": ["$.environment.reporter.report($this, 'hello')"]}},
    }, sort_keys=False)


PackageFactory = Callable[..., Path]


@pytest.fixture
def make_package(tmp_path: Path) -> PackageFactory:
    """Build a MuranoPL package zip in tmp_path; each argument states only what differs.

    ``classes`` lists class FQNs (default: one class named like the package),
    ``manifest`` overrides or adds manifest keys (a value of None deletes the key),
    ``files`` adds or replaces files; ``ui``/``logo`` False leave them out.
    """
    counter = itertools.count()

    def make(fqn: str = "com.example.App", *, version: str | None = None,
             name: str | None = None, classes: list[str] | None = None,
             tags: list[str] | None = None, ui: str | bool = True, logo: bool | bytes = True,
             manifest: dict[str, Any] | None = None,
             files: dict[str, bytes | str] | None = None) -> Path:
        class_names = [fqn] if classes is None else classes
        content: dict[str, Any] = {
            "Format": "MuranoPL/1.3", "Type": "Application", "FullName": fqn,
            "Name": name or fqn.rpartition(".")[2], "Description": f"Package {fqn}",
            "Author": "Fornace tests", "Tags": tags if tags is not None else ["test"],
            "Classes": {c: f"{c.rpartition('.')[2]}.yaml" for c in class_names},
        }
        if version is not None:
            content["Version"] = version
        for key, value in (manifest or {}).items():
            if value is None:
                content.pop(key, None)
            else:
                content[key] = value
        entries: dict[str, bytes | str] = {"manifest.yaml": yaml.safe_dump(content,
                                                                            sort_keys=False)}
        for c in class_names:
            entries[f"Classes/{c.rpartition('.')[2]}.yaml"] = _class_document(c)
        if ui:
            entries["UI/ui.yaml"] = ui if isinstance(ui, str) else DEFAULT_UI.format(fqn=fqn)
        if logo:
            entries["logo.png"] = logo if isinstance(logo, bytes) else tiny_png()
        entries.update(files or {})
        path = tmp_path / f"{next(counter):03d}-{fqn}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for entry, data in entries.items():
                zf.writestr(entry, data)
        return path

    return make


Uploader = Callable[..., httpx.Response]


@pytest.fixture
def upload(api: httpx.Client) -> Uploader:
    """POST a package as muranoclient does: the file part plus a ``__metadata__`` part."""

    def send(path: Path, metadata: dict[str, Any] | None = None, *, token: str = ADMIN,
             expect: int | None = 200) -> httpx.Response:
        data = {"__metadata__": json.dumps(metadata)} if metadata is not None else None
        resp = api.post("/v1/catalog/packages", headers=auth(token), data=data,
                        files={path.stem: (path.name, path.read_bytes(), "application/zip")})
        if expect is not None:
            assert resp.status_code == expect, resp.text
        return resp

    return send


Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture
def catalog_snapshot(clean_database: str) -> Snapshot:
    """Every row of the catalog tables (blobs included), to prove a refusal changed nothing."""
    engine = create_engine(clean_database.replace("postgresql://", "postgresql+psycopg://", 1))

    def snap() -> dict[str, list[tuple[Any, ...]]]:
        with engine.connect() as conn:
            return {name: sorted((tuple(r) for r in conn.execute(
                        select(Base.metadata.tables[name]))), key=repr)
                    for name in CATALOG_TABLES}

    yield snap  # type: ignore[misc]
    engine.dispose()
