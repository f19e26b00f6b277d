"""Murano's timestamps: UTC, ISO-8601, no microseconds, no zone suffix."""

from __future__ import annotations

from datetime import datetime


def timestamp(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")
