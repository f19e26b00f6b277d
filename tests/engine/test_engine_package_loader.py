"""The engine's package source over the catalog DB: visibility, versions, cache."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
import semantic_version
import yaml
from sqlalchemy import update

from fornace.db import make_engine, make_sessionmaker
from fornace.db.models import ClassDefinition, Package
from fornace.db.repositories.sessions import now_precise
from fornace.engine.package_loader import CatalogPackageSource, clear_cache, forget_lookups

ANY = semantic_version.SimpleSpec(">=0.0.0")


def archive(version: str, greeting: str) -> bytes:
    manifest = {"Format": "MuranoPL/1.4", "Type": "Library", "FullName": "p.Lib",
                "Name": "Lib", "Version": version, "Classes": {"p.Lib": "Lib.yaml"}}
    klass = {"Name": "p.Lib", "Properties": {"greeting": {"Contract": "$.string()",
                                                          "Default": greeting}}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.yaml", yaml.safe_dump(manifest))
        zf.writestr("Classes/Lib.yaml", yaml.safe_dump(klass))
    return buf.getvalue()


@pytest.fixture
def sessions(clean_database):  # type: ignore[no-untyped-def]
    clear_cache()
    factory = make_sessionmaker(make_engine(clean_database))
    rows = [("v1", "1.0.0", True, "other"), ("v2", "2.1.0", True, "other"),
            ("v3", "3.0.0", False, "owner")]
    with factory() as db, db.begin():
        for pid, version, public, owner in rows:
            db.add(Package(id=pid, fully_qualified_name="p.Lib", name="Lib", version=version,
                           type="Library", archive=archive(version, f"from {version}"),
                           is_public=public, owner_id=owner,
                           class_definitions=[ClassDefinition(name="p.Lib")]))
    yield factory
    clear_cache()


def test_visibility_and_highest_matching_version(sessions):
    stranger = CatalogPackageSource(sessions, "stranger")
    owner = CatalogPackageSource(sessions, "owner")
    assert str(stranger.find_class_package("p.Lib", ANY).version) == "2.1.0"
    assert str(owner.find_class_package("p.Lib", ANY).version) == "3.0.0"
    assert str(owner.find_package("p.Lib", semantic_version.SimpleSpec("<2.0.0")).version) \
        == "1.0.0"
    assert stranger.find_package("p.Lib", semantic_version.SimpleSpec(">=3.0.0")) is None
    assert stranger.find_class_package("p.Missing", ANY) is None


def test_an_updated_package_is_parsed_again(sessions):
    source = CatalogPackageSource(sessions, "stranger")
    first = source.find_package("p.Lib", ANY)
    assert source.find_package("p.Lib", ANY) is first  # parsed once
    with sessions() as db, db.begin():
        db.execute(update(Package).where(Package.id == "v2").values(
            archive=archive("2.1.0", "changed"), updated=now_precise() + timedelta(seconds=5)))
    forget_lookups()  # what LOOKUP_SECONDS does by itself
    second = source.find_package("p.Lib", ANY)
    assert second is not first
    assert "changed" in second.files["Lib.yaml"]
