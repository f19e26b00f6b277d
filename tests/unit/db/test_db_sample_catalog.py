from __future__ import annotations

from sqlalchemy import select

from fornace.corelib import sample_package_dirs
from fornace.db import make_engine, make_sessionmaker
from fornace.db.models import Package
from fornace.db.repositories.sample_catalog import import_sample_catalog


def test_sample_catalog_is_imported_once_and_public(clean_database: str) -> None:
    factory = make_sessionmaker(make_engine(clean_database))
    folders = sample_package_dirs()
    imported = import_sample_catalog(factory, folders)
    assert len(imported) == len(folders) >= 3
    with factory() as db:
        rows = db.scalars(select(Package)).all()
        assert {p.fully_qualified_name for p in rows} == set(imported)
        assert all(p.is_public and p.owner_id == "admin" for p in rows)
        web = next(p for p in rows if p.type == "Application")
        assert [c.name for c in web.categories] == ["Web"]
    # A second start (or a catalog the operator already filled) imports nothing.
    assert import_sample_catalog(factory, folders) == []
    with factory() as db:
        assert len(db.scalars(select(Package)).all()) == len(imported)
