"""Declarative base, naming convention, id and clock helpers shared by all models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def new_id() -> str:
    """Murano's ids: 32 lowercase hex characters, no dashes."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Naive UTC with microseconds cut off, as Murano stored and printed them."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
