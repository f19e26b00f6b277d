"""Throw-away databases for tests: a SQLite file or a fresh PostgreSQL database."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from fornace.db import make_engine, upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "FORNACE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def test_backend() -> str:
    """``sqlite`` (default) or ``postgresql``, from FORNACE_TEST_DB."""
    return os.environ.get("FORNACE_TEST_DB", "sqlite")


@contextmanager
def scratch_database(tmp_dir: Path, backend: str | None = None) -> Iterator[str]:
    """Yield the URL of a new, migrated database; drop it afterwards."""
    backend = backend or test_backend()
    if backend == "sqlite":
        path = tmp_dir / f"fornace-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{path}"
        upgrade(make_engine(url))
        yield url
        return
    if backend != "postgresql":
        raise ValueError(f"FORNACE_TEST_DB must be sqlite or postgresql, not {backend!r}")
    name = f"fornace_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        yield url
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@functools.cache
def seeded_categories() -> tuple[str, ...]:
    """The categories the first migration seeds (read from it once per test run)."""
    import importlib.util

    from fornace.db.migrate import MIGRATIONS_DIR

    spec = importlib.util.spec_from_file_location(
        "_initial", MIGRATIONS_DIR / "versions" / "0001_initial_schema.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("the initial migration is missing")
    initial = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(initial)
    return tuple(initial.DEFAULT_CATEGORIES)


def truncate_all(url: str) -> None:
    """Empty every table, then put back the categories the first migration seeds."""
    from fornace.db import models
    from fornace.db.base import Base, new_id, utcnow

    engine = make_engine(url)
    keep = {"alembic_version"}
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in keep:
                continue
            conn.execute(table.delete())
        now = utcnow()
        conn.execute(models.Category.__table__.insert(), [
            {"id": new_id(), "name": n, "created": now, "updated": now}
            for n in seeded_categories()
        ])
    engine.dispose()
