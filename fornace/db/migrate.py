"""Schema migrations (Alembic) and the check that refuses an unmigrated database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from fornace.errors import ConfigurationError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema(engine: Engine) -> None:
    """Raise ConfigurationError unless the database is at the newest revision."""
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        state = "is empty" if current is None else f"is at revision {current}, not {head}"
        raise ConfigurationError(
            f"the database {engine.url.render_as_string(hide_password=True)} {state}",
            hint="run 'fornace db upgrade' (with the same FORNACE_DATABASE_URL) and start again",
            reference="database-not-migrated",
        )
