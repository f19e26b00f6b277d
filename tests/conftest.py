"""Fixtures shared by every suite.

The database backend comes from FORNACE_TEST_DB (sqlite by default,
postgresql for the server on 127.0.0.1:5432); each test session gets its own
fresh database, dropped at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fornace.testing.databases import scratch_database, truncate_all


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FORNACE_* setting of the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith("FORNACE_") and not key.startswith("FORNACE_TEST_"):
            monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scratch_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def clean_database(database_url: str) -> str:
    """The session's database, emptied (categories re-seeded by migration are kept)."""
    truncate_all(database_url)
    return database_url


@pytest.fixture
def settings_factory(tmp_path: Path, clean_database: str):  # type: ignore[no-untyped-def]
    from fornace.config import Settings

    def make(**changes: object) -> Settings:
        values: dict[str, object] = {"data_dir": tmp_path / "data", "database_url": clean_database}
        values.update(changes)
        return Settings(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture
def api_app(settings_factory):  # type: ignore[no-untyped-def]
    from fornace.api.app import create_app

    return create_app(settings_factory())


@pytest.fixture
def api(api_app) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    """An HTTP client on a live server; the default token is an admin of project 'admin'."""
    from fornace.testing.servers import running_server

    with running_server(api_app) as base_url:
        with httpx.Client(base_url=base_url, headers={"X-Auth-Token": "admin"},
                          timeout=30) as client:
            yield client
