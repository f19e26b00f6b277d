"""Deleting several things by id, murano-style: report misses, fail only if all missed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click

from fornace.cli._output import note


def delete_each(ids: Sequence[str], delete: Callable[[str], None], kind: str, *,
                announce: bool = False) -> None:
    from fornace.client import ClientNotFound

    failures = 0
    for item in ids:
        try:
            delete(item)
            if announce:
                note(f"Deleted {kind} '{item}'")
        except ClientNotFound:
            failures += 1
            note(f"Failed to delete '{item}'; {kind} not found")
    if failures == len(ids):
        raise click.ClickException(f"Unable to find and delete any of the specified {kind}s.")
