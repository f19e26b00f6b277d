"""Persistence: SQLAlchemy models, sessions and migrations."""

from fornace.db.migrate import check_schema, upgrade
from fornace.db.session import make_engine, make_sessionmaker, transaction

__all__ = ["check_schema", "make_engine", "make_sessionmaker", "transaction", "upgrade"]
