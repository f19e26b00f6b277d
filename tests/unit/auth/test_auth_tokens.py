"""Token store of the builtin mode and the backend's cache (fake clock, real database)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fornace.auth.backends.builtin import BuiltinBackend
from fornace.auth.tokens import (
    hash_token,
    issue_token,
    list_tokens,
    parse_duration,
    revoke_token,
    token_state,
)
from fornace.db import make_engine, make_sessionmaker, transaction
from fornace.db.base import utcnow
from fornace.db.models import AuthToken
from fornace.errors import InvalidInput, NotAuthenticated, NotFound


@pytest.mark.parametrize(("text", "seconds"), [
    ("90s", 90), ("15m", 900), ("12h", 43200), ("30d", 2592000), ("2w", 1209600),
    ("1h30m", 5400), (" 1D 2H ", 93600),
])
def test_durations(text: str, seconds: int):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "10", "h", "1x", "-1h", "1.5h", "0s", "1h junk"])
def test_bad_durations(text: str):
    with pytest.raises(InvalidInput):
        parse_duration(text)


@pytest.fixture
def sessions(clean_database: str):  # type: ignore[no-untyped-def]
    engine = make_engine(clean_database)
    yield make_sessionmaker(engine)
    engine.dispose()


def issue(sessions, **kw):  # type: ignore[no-untyped-def]
    with transaction(sessions) as db:
        issued = issue_token(db, kw.pop("user", "u1"), kw.pop("project", "p1"),
                             kw.pop("roles", ["member"]), **kw)
        return issued.record.id, issued.secret


def test_secrets_are_random_and_stored_as_sha256(sessions):  # type: ignore[no-untyped-def]
    first, second = issue(sessions), issue(sessions)
    assert first[1] != second[1] and len(first[1]) > 40
    with sessions() as db:
        stored = {t.id: t.token_hash for t in list_tokens(db)}
    assert stored == {first[0]: hash_token(first[1]), second[0]: hash_token(second[1])}


def test_bad_issue_input_stores_nothing(sessions):  # type: ignore[no-untyped-def]
    for kwargs in ({"user": ""}, {"project": "a/b"}, {"roles": ["x y"]},
                   {"description": "d" * 256}):
        with pytest.raises(InvalidInput):
            issue(sessions, **kwargs)
    with sessions() as db:
        assert list_tokens(db) == []


def test_revoke_and_state(sessions):  # type: ignore[no-untyped-def]
    token_id, _ = issue(sessions, expires_in=timedelta(hours=1))
    with transaction(sessions) as db:
        record = db.get(AuthToken, token_id)
        assert token_state(record) == "active"
        assert token_state(record, utcnow() + timedelta(hours=2)) == "expired"
        assert revoke_token(db, token_id)[1] is True
        assert revoke_token(db, token_id)[1] is False
        assert token_state(record) == "revoked"
    with pytest.raises(NotFound), transaction(sessions) as db:
        revoke_token(db, "nope")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_trusts_a_lookup_for_cache_seconds_only(sessions):  # type: ignore[no-untyped-def]
    token_id, secret = issue(sessions, user="amy", project="px", roles=["admin"])
    clock = FakeClock()
    backend = BuiltinBackend(sessions, cache_seconds=5, clock=clock)
    ctx = backend.authenticate({"x-auth-token": secret}, "r1")
    assert (ctx.user_id, ctx.project_id, ctx.is_admin, ctx.request_id) == ("amy", "px", True, "r1")
    with transaction(sessions) as db:
        revoke_token(db, token_id)
    clock.now += 4.9
    assert backend.authenticate({"x-auth-token": secret}, "").user_id == "amy"  # cached
    clock.now += 0.2
    with pytest.raises(NotAuthenticated, match="revoked"):
        backend.authenticate({"x-auth-token": secret}, "")


def test_forget_makes_a_local_revoke_immediate(sessions):  # type: ignore[no-untyped-def]
    token_id, secret = issue(sessions)
    backend = BuiltinBackend(sessions, cache_seconds=3600, clock=FakeClock())
    backend.authenticate({"x-auth-token": secret}, "")
    with transaction(sessions) as db:
        revoke_token(db, token_id)
    backend.forget(hash_token(secret))
    with pytest.raises(NotAuthenticated, match="revoked"):
        backend.authenticate({"x-auth-token": secret}, "")


def test_expiry_applies_to_cached_tokens(sessions):  # type: ignore[no-untyped-def]
    _, secret = issue(sessions, expires_in=timedelta(hours=1))
    wall = [utcnow()]
    backend = BuiltinBackend(sessions, cache_seconds=3600, clock=FakeClock(),
                             wall_clock=lambda: wall[0])
    backend.authenticate({"x-auth-token": secret}, "")
    wall[0] += timedelta(minutes=59)
    backend.authenticate({"x-auth-token": secret}, "")
    wall[0] += timedelta(minutes=2)
    with pytest.raises(NotAuthenticated, match="expired"):
        backend.authenticate({"x-auth-token": secret}, "")


def test_unknown_tokens_are_not_cached(sessions):  # type: ignore[no-untyped-def]
    backend = BuiltinBackend(sessions, cache_seconds=3600, clock=FakeClock())
    with pytest.raises(NotAuthenticated, match="not known"):
        backend.authenticate({"x-auth-token": "fnc_nothing"}, "")
    assert backend._cache == {}
