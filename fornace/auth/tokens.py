"""Tokens of the builtin auth mode: issue, list, revoke, look up.

A token is a random secret shown once at creation; the database keeps only
its SHA-256, so a copy of the database gives nobody a usable token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fornace.db.base import utcnow
from fornace.db.models import AuthToken
from fornace.errors import InvalidInput, NotFound

TOKEN_PREFIX = "fnc_"
NAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
ROLE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
DURATION_RE = re.compile(r"(\d+)([smhdw])")
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def parse_duration(text: str) -> timedelta:
    """``90s``, ``15m``, ``12h``, ``30d``, ``2w`` or combinations such as ``1h30m``."""
    compact = text.strip().lower().replace(" ", "")
    parts = DURATION_RE.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise InvalidInput(f"cannot read the duration {text!r}",
                           hint="write it as a number and a unit: 90s, 15m, 12h, 30d, 2w, 1h30m")
    seconds = sum(int(n) * DURATION_UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise InvalidInput(f"the duration {text!r} is not positive",
                           hint="give a duration longer than zero, e.g. 30d")
    return timedelta(seconds=seconds)


def _check_name(kind: str, value: str) -> str:
    if not NAME_RE.match(value):
        raise InvalidInput(f"invalid {kind} {value!r}",
                           hint=f"a {kind} is 1-64 letters, digits or _ . @ -")
    return value


def _check_roles(roles: list[str] | tuple[str, ...]) -> list[str]:
    for role in roles:
        if not ROLE_RE.match(role):
            raise InvalidInput(f"invalid role {role!r}",
                               hint="a role is 1-64 letters, digits or _ . - "
                                    "(give --role once per role)")
    return list(dict.fromkeys(roles))


@dataclass(frozen=True)
class IssuedToken:
    record: AuthToken
    secret: str


def issue_token(db: Session, user_id: str, project_id: str, roles: list[str] | tuple[str, ...],
                *, expires_in: timedelta | None = None, description: str = "") -> IssuedToken:
    """Store a new token; the returned secret is the only copy there will ever be."""
    _check_name("user", user_id)
    _check_name("project", project_id)
    role_list = _check_roles(roles or ("member",))
    if len(description) > 255:
        raise InvalidInput("the description is longer than 255 characters",
                           hint="shorten --description")
    secret = new_secret()
    now = utcnow()
    record = AuthToken(token_hash=hash_token(secret), user_id=user_id, project_id=project_id,
                       roles=role_list, description=description, created=now,
                       expires=now + expires_in if expires_in else None)
    db.add(record)
    db.flush()
    return IssuedToken(record, secret)


def list_tokens(db: Session) -> list[AuthToken]:
    return list(db.scalars(select(AuthToken).order_by(AuthToken.created, AuthToken.id)))


def revoke_token(db: Session, token_id: str) -> tuple[AuthToken, bool]:
    """Mark the token revoked. Returns it and whether this call revoked it."""
    record = db.get(AuthToken, token_id)
    if record is None:
        raise NotFound(f"no token with id {token_id!r}",
                       hint="see the ids with 'fornace token list'")
    if record.revoked is not None:
        return record, False
    record.revoked = utcnow()
    db.flush()
    return record, True


def token_state(record: AuthToken, now: datetime | None = None) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if record.revoked is not None:
        return "revoked"
    if record.expires is not None and record.expires <= (now or utcnow()):
        return "expired"
    return "active"
