"""Fixtures of the environment API tests: verbs over HTTP, DB snapshots, engine stand-ins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from _env_helpers import EnvApi, snapshot
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fornace.db import make_engine, make_sessionmaker, transaction


@pytest.fixture
def env_api(api: httpx.Client) -> EnvApi:
    return EnvApi(api)


@pytest.fixture
def db_engine(clean_database: str) -> Iterator[Engine]:
    engine = make_engine(clean_database)
    yield engine
    engine.dispose()


@pytest.fixture
def rows(db_engine: Engine) -> Callable[[], dict[str, list[dict[str, Any]]]]:
    """Call to take a snapshot of every row the environment API writes."""
    return lambda: snapshot(db_engine)


@pytest.fixture
def engine_side(db_engine: Engine) -> Callable[[Callable[[Session], Any]], Any]:
    """Run ``fn(db)`` in one committed transaction, as the engine's result handler does."""
    factory = make_sessionmaker(db_engine)

    def run(fn: Callable[[Session], Any]) -> Any:
        with transaction(factory) as db:
            return fn(db)

    return run


@pytest.fixture
def published(api_app: Any) -> list[dict[str, Any]]:
    """Task messages handed to the (null) publisher, in order."""
    return api_app.state.publisher.published  # type: ignore[no-any-return]
