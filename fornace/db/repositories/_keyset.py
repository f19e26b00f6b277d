"""Keyset pagination: the rows strictly after a marker row in a multi-key sort order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, or_


def rows_after(keys: Sequence[tuple[Any, str]], values: Sequence[Any]) -> ColumnElement[bool]:
    """``keys`` are (expression, "asc"|"desc") pairs ending on a unique key; ``values`` are
    the marker row's values of those expressions."""
    branches = []
    for i, (expr, direction) in enumerate(keys):
        ties = [keys[j][0] == values[j] for j in range(i)]
        beyond = expr > values[i] if direction == "asc" else expr < values[i]
        branches.append(and_(*ties, beyond))
    return or_(*branches)


def timestamp(value: Any) -> str:
    """Murano's timestamps: ISO 8601 without microseconds or zone."""
    return value.replace(microsecond=0).isoformat() if value is not None else ""
