"""Builtin mode: tokens issued by ``fornace token create``, checked against their SHA-256.

Looked-up tokens are cached in memory for ``cache_seconds`` (default 5), so a
token revoked from another process stops working at most that long after the
revoke. Expiry is checked on every request, cached or not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from fornace.auth.context import RequestContext
from fornace.auth.tokens import hash_token
from fornace.db.models import AuthToken
from fornace.errors import NotAuthenticated, ServiceUnavailable

CACHE_MAX_ENTRIES = 10_000
NEW_TOKEN_HINT = "ask an operator for a new token ('fornace token create --user U --project P')"


@dataclass(frozen=True)
class _Entry:
    """What the database said about one token, and when we asked."""

    user_id: str
    project_id: str
    roles: tuple[str, ...]
    expires: datetime | None
    revoked: datetime | None
    fetched: float


def _utc_now() -> datetime:
    """Naive UTC, like the timestamps in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def _missing_token() -> NotAuthenticated:
    return NotAuthenticated("the request has no X-Auth-Token header",
                            hint="send the token printed by 'fornace token create' "
                                 "in the X-Auth-Token header",
                            reference="token-missing")


class BuiltinBackend:
    def __init__(self, sessions: sessionmaker[Session], admin_role: str = "admin",
                 cache_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], datetime] = _utc_now) -> None:
        self.sessions = sessions
        self.admin_role = admin_role
        self.cache_seconds = cache_seconds
        self.clock = clock
        self.wall_clock = wall_clock
        self._cache: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def authenticate(self, headers: Mapping[str, str], request_id: str) -> RequestContext:
        token = headers.get("x-auth-token", "").strip()
        if not token:
            raise _missing_token()
        entry = self._entry(hash_token(token))
        if entry is None:
            raise NotAuthenticated("the token is not known to this server",
                                   hint=NEW_TOKEN_HINT, reference="token-unknown")
        if entry.revoked is not None:
            raise NotAuthenticated(f"the token was revoked at {entry.revoked.isoformat()}Z",
                                   hint=NEW_TOKEN_HINT, reference="token-revoked")
        if entry.expires is not None and entry.expires <= self.wall_clock():
            raise NotAuthenticated(f"the token expired at {entry.expires.isoformat()}Z",
                                   hint=NEW_TOKEN_HINT, reference="token-expired")
        return RequestContext.build(entry.user_id, entry.project_id, entry.roles,
                                    admin_role=self.admin_role, token=token,
                                    request_id=request_id)

    def forget(self, token_hash: str | None = None) -> None:
        """Drop one cached token (or all): a revoke in this process is then immediate."""
        with self._lock:
            if token_hash is None:
                self._cache.clear()
            else:
                self._cache.pop(token_hash, None)

    def _entry(self, digest: str) -> _Entry | None:
        now = self.clock()
        entry = self._cache.get(digest)
        if entry is not None and now - entry.fetched < self.cache_seconds:
            return entry
        entry = self._lookup(digest, now)
        with self._lock:
            if entry is None:
                self._cache.pop(digest, None)  # unknown tokens are not cached
            else:
                if len(self._cache) >= CACHE_MAX_ENTRIES:
                    self._evict_stale(now)
                self._cache[digest] = entry
        return entry

    def _evict_stale(self, now: float) -> None:
        stale = [k for k, e in self._cache.items() if now - e.fetched >= self.cache_seconds]
        for key in stale:
            del self._cache[key]
        if len(self._cache) >= CACHE_MAX_ENTRIES:
            self._cache.clear()

    def _lookup(self, digest: str, now: float) -> _Entry | None:
        try:
            with self.sessions() as db:
                record = db.scalars(
                    select(AuthToken).where(AuthToken.token_hash == digest)).one_or_none()
                if record is None:
                    return None
                return _Entry(record.user_id, record.project_id, tuple(record.roles or ()),
                              record.expires, record.revoked, now)
        except OperationalError as exc:
            raise ServiceUnavailable("cannot reach the database to check the token",
                                     hint="check that the database server is running") from exc
