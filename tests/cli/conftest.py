"""Fixtures of the CLI tests: the ``fornace`` command run against a live API server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fornace.cli.main import cli
from fornace.db import make_engine, make_sessionmaker, transaction

PACKAGES = Path(__file__).parents[1] / "data" / "packages"


@dataclass
class Fornace:
    """Runs ``fornace --url <live server> --token <token> ARGS``."""

    url: str
    token: str = "admin"

    def __call__(self, *args: str, token: str | None = None, input: str | None = None,
                 output: str | None = None) -> Result:
        options = ["--url", self.url, "--token", token or self.token]
        if output:
            options += ["--output", output]
        return CliRunner().invoke(cli, [*options, *args], input=input)

    def ok(self, *args: str, **kwargs: Any) -> Result:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (result.output, result.stderr, result.exception)
        return result

    def json(self, *args: str, **kwargs: Any) -> Any:
        return json.loads(self.ok(*args, output="json", **kwargs).stdout)


@pytest.fixture
def fornace(api: httpx.Client) -> Fornace:
    return Fornace(str(api.base_url).rstrip("/"))


@pytest.fixture
def db_engine(clean_database: str) -> Iterator[Engine]:
    engine = make_engine(clean_database)
    yield engine
    engine.dispose()


@pytest.fixture
def engine_side(db_engine: Engine) -> Callable[[Callable[[Session], Any]], Any]:
    """Run ``fn(db)`` in one committed transaction, as the engine's result handler would."""
    factory = make_sessionmaker(db_engine)

    def run(fn: Callable[[Session], Any]) -> Any:
        with transaction(factory) as db:
            return fn(db)

    return run


def engine_result(objects: dict[str, Any] | None, *, failed: bool = False,
                  result: Any = None) -> dict[str, Any]:
    """A result as the engine sends it (services are called applications there)."""
    model_objects = None
    if objects is not None:
        model_objects = dict(objects)
        model_objects["applications"] = model_objects.pop("services", [])
    return {"model": {"Objects": model_objects, "ObjectsCopy": model_objects,
                      "Attributes": [], "SystemData": {}},
            "action": {"isException": failed, "result": result}}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A folder repository (apps/<FQN>.zip) built from the sample packages."""
    from fornace.catalog.builder import build_package_folder

    apps = tmp_path / "repo" / "apps"
    apps.mkdir(parents=True)
    for folder in ("common", "databases", "mysql", "apache", "monitor-server"):
        archive, package = build_package_folder(PACKAGES / folder)
        (apps / f"{package.fully_qualified_name}.zip").write_bytes(archive)
    return tmp_path / "repo"
