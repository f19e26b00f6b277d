"""``fornace token``: tokens of the builtin auth mode (create, list, revoke)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session


@contextmanager
def _database() -> Iterator[Session]:
    from fornace.config import AuthMode, load_settings
    from fornace.db import check_schema, make_engine, make_sessionmaker, transaction

    settings = load_settings()
    if settings.auth != AuthMode.BUILTIN:
        click.echo(f"note: FORNACE_AUTH is {settings.auth.value}; API servers accept these "
                   "tokens only with FORNACE_AUTH=builtin", err=True)
    engine = make_engine(settings.effective_database_url)
    try:
        check_schema(engine)
        with transaction(make_sessionmaker(engine)) as db:
            yield db
    finally:
        engine.dispose()


def _when(value: object) -> str:
    return "never" if value is None else f"{value.isoformat()}Z"  # type: ignore[attr-defined]


@click.group()
def token() -> None:
    """Manage tokens of the builtin auth mode (FORNACE_AUTH=builtin)."""


@token.command()
@click.option("--user", "user_id", required=True, help="User id the token authenticates.")
@click.option("--project", "project_id", required=True, help="Project (tenant) id of the caller.")
@click.option("--role", "roles", multiple=True,
              help="A role of the caller; repeat for several (default: member).")
@click.option("--expires-in", default=None, metavar="DURATION",
              help="Lifetime such as 12h, 30d, 1h30m (default: never expires).")
@click.option("--description", default="", help="A note shown by 'token list'.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the secret.")
def create(user_id: str, project_id: str, roles: tuple[str, ...], expires_in: str | None,
           description: str, quiet: bool) -> None:
    """Issue a token and print its secret (shown this once only)."""
    from fornace.auth.tokens import issue_token, parse_duration

    lifetime = parse_duration(expires_in) if expires_in else None
    with _database() as db:
        issued = issue_token(db, user_id, project_id, roles, expires_in=lifetime,
                             description=description)
        record = issued.record
        summary = (f"token {record.id} for user {record.user_id} in project "
                   f"{record.project_id}, roles {','.join(record.roles)}, "
                   f"expires {_when(record.expires)}")
    if quiet:
        click.echo(issued.secret)
        return
    click.echo(f"Created {summary}.")
    click.echo("Secret (shown only now; send it as the X-Auth-Token header):")
    click.echo(issued.secret)


@token.command("list")
def list_() -> None:
    """List tokens (never their secrets)."""
    from fornace.auth.tokens import list_tokens, token_state

    with _database() as db:
        rows = [(t.id, t.user_id, t.project_id, ",".join(t.roles or ()), token_state(t),
                 _when(t.expires), t.description) for t in list_tokens(db)]
    if not rows:
        click.echo("no tokens; create one with 'fornace token create --user U --project P'")
        return
    header = ("ID", "USER", "PROJECT", "ROLES", "STATE", "EXPIRES", "DESCRIPTION")
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


@token.command()
@click.argument("token_id")
def revoke(token_id: str) -> None:
    """Revoke a token by its id (see 'token list'); API servers refuse it within seconds."""
    from fornace.auth.tokens import revoke_token

    with _database() as db:
        record, changed = revoke_token(db, token_id)
        when = _when(record.revoked)
    if changed:
        click.echo(f"revoked token {token_id}")
    else:
        click.echo(f"token {token_id} was already revoked at {when}")
