"""The sample catalog ``fornace serve`` offers on first start.

The sample packages (fornace/corelib/samples) are imported as public packages
of the admin project, once: only when the catalog holds no package at all, so
an operator who deleted them does not see them come back.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fornace.auth.context import RequestContext
from fornace.catalog import load_folder
from fornace.db.models import Package
from fornace.db.repositories.packages import UploadOptions, create_package
from fornace.db.session import transaction

log = logging.getLogger(__name__)

SAMPLE_OWNER = RequestContext.build("fornace", "admin", ["admin"])
CATEGORIES = {"Application": ("Web",), "Library": ("Databases",)}


def import_sample_catalog(factory: sessionmaker[Session], folders: list[Path]) -> list[str]:
    """Import ``folders`` when the catalog is empty; return the FQNs imported."""
    with transaction(factory) as db:
        if db.scalar(select(func.count()).select_from(Package)):
            return []
        imported = []
        for folder in folders:
            loaded = load_folder(folder)
            options = UploadOptions(categories=CATEGORIES.get(loaded.type, ()), is_public=True)
            create_package(db, SAMPLE_OWNER, loaded, options)
            imported.append(loaded.fully_qualified_name)
    log.info("sample catalog imported: %s", ", ".join(imported))
    return imported
