"""``fornace db``: schema migrations."""

from __future__ import annotations

import click


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
def upgrade() -> None:
    """Create or upgrade the schema to the newest revision."""
    from fornace.config import load_settings
    from fornace.db import make_engine
    from fornace.db import upgrade as run_upgrade
    from fornace.db.migrate import current_revision

    settings = load_settings()
    engine = make_engine(settings.effective_database_url)
    run_upgrade(engine)
    click.echo(f"database at revision {current_revision(engine)}")


@db.command()
def current() -> None:
    """Print the schema revision of the database."""
    from fornace.config import load_settings
    from fornace.db import make_engine
    from fornace.db.migrate import current_revision, head_revision

    engine = make_engine(load_settings().effective_database_url)
    click.echo(f"current: {current_revision(engine) or 'empty'}; newest: {head_revision(engine)}")
