"""Rendering results as rich tables, JSON or YAML (``--output``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from fornace.cli._context import output_format

Columns = Sequence[tuple[str, str]]   # (header, key)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, indent=2)
    return str(value)


def console() -> Any:
    import sys

    from rich.console import Console

    # piped or captured output: wide enough that ids and names never fold
    width = None if sys.stdout.isatty() else 250
    return Console(highlight=False, soft_wrap=False, width=width)


def _dump(data: Any, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, sort_keys=True))
    else:
        import yaml

        click.echo(yaml.safe_dump(data, sort_keys=True, default_flow_style=False).rstrip())


def show_list(rows: Sequence[dict[str, Any]], columns: Columns, *,
              title: str | None = None) -> None:
    fmt = output_format(click.get_current_context())
    if fmt != "table":
        _dump(list(rows), fmt)
        return
    from rich.table import Table

    table = Table(title=title)
    for header, _key in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for _header, key in columns))
    console().print(table)


def show_object(data: Any, *, fields: Sequence[str] | None = None) -> None:
    fmt = output_format(click.get_current_context())
    if fmt != "table" or not isinstance(data, dict):
        if fmt == "table":
            click.echo(json.dumps(data, indent=2))
        else:
            _dump(data, fmt)
        return
    from rich.table import Table

    table = Table()
    table.add_column("Property")
    table.add_column("Value", overflow="fold")
    for key in fields or sorted(data):
        table.add_row(key, _cell(data.get(key)))
    console().print(table)


def note(message: str) -> None:
    """A human message on stderr, so stdout stays parseable with --output json."""
    click.echo(message, err=True)


ENVIRONMENT_COLUMNS: Columns = (("ID", "id"), ("Name", "name"), ("Status", "status"),
                                ("Created", "created"), ("Updated", "updated"))
PACKAGE_COLUMNS: Columns = (("ID", "id"), ("Name", "name"), ("FQN", "fully_qualified_name"),
                            ("Author", "author"), ("Active", "enabled"),
                            ("Is Public", "is_public"), ("Type", "type"), ("Version", "version"))
DEPLOYMENT_COLUMNS: Columns = (("ID", "id"), ("State", "state"), ("Created", "created"),
                               ("Updated", "updated"), ("Finished", "finished"))
TEMPLATE_COLUMNS: Columns = (("ID", "id"), ("Name", "name"), ("Created", "created"),
                             ("Updated", "updated"), ("Is public", "is_public"))
CATEGORY_COLUMNS: Columns = (("ID", "id"), ("Name", "name"))
