"""Alembic environment: the connection comes from fornace.db.migrate, never from a file."""

from __future__ import annotations

from alembic import context

from fornace.db import models  # noqa: F401  (registers the tables)
from fornace.db.base import Base

config = context.config
connectable = config.attributes.get("connection")

if connectable is None:  # pragma: no cover - only through fornace.db.migrate
    raise RuntimeError("run migrations through 'fornace db upgrade'")

context.configure(
    connection=connectable,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
