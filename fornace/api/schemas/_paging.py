"""Query-string parameters shared by the paginated lists (limit, sort_dir)."""

from __future__ import annotations

from fornace.errors import InvalidInput

SORT_DIRECTIONS = ("asc", "desc")


def parse_limit(value: str | None, *, default: int | None, maximum: int | None) -> int | None:
    """Murano's rule: a positive integer (else 400), capped at ``maximum``."""
    if value is None:
        return default
    try:
        limit = int(value)
    except ValueError:
        raise InvalidInput("Limit param must be an integer",
                           hint="pass limit as a positive whole number, e.g. limit=20",
                           reference="invalid-limit") from None
    if limit <= 0:
        raise InvalidInput("Limit param must be positive",
                           hint="pass limit as a positive whole number, e.g. limit=20",
                           reference="invalid-limit")
    return min(limit, maximum) if maximum is not None else limit


def parse_sort_dir(value: str | None) -> str:
    if value is None:
        return "asc"
    if value not in SORT_DIRECTIONS:
        raise InvalidInput(f"Invalid sort direction: {value}",
                           hint="use sort_dir=asc or sort_dir=desc",
                           reference="invalid-sort-dir")
    return value
