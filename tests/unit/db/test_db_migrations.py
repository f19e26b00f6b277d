from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from fornace.db import check_schema, make_engine, upgrade
from fornace.db.base import Base
from fornace.db.models import Category
from fornace.db.session import make_sessionmaker
from fornace.errors import ConfigurationError


def test_upgrade_on_empty_database_matches_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    check_schema(engine)


def test_default_categories_are_seeded(database_url: str) -> None:
    with make_sessionmaker(make_engine(database_url))() as db:
        names = set(db.scalars(select(Category.name)))
    assert {"Web", "Databases", "SAP"} <= names


def test_unmigrated_database_is_refused_with_the_fix(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(ConfigurationError) as info:
        check_schema(engine)
    assert "is empty" in info.value.message
    assert "fornace db upgrade" in (info.value.hint or "")
    upgrade(engine)
    check_schema(engine)
