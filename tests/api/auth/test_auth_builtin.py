"""builtin mode end to end: ``fornace token`` commands, then HTTP calls with the token."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from fornace.cli.main import cli, main
from fornace.db import make_engine
from fornace.testing.servers import running_server


@pytest.fixture
def fornace_cli(clean_database: str, tmp_path):  # type: ignore[no-untyped-def]
    """Run ``fornace ARGS`` against the test database; returns the CliRunner result."""
    env = {"FORNACE_DATABASE_URL": clean_database, "FORNACE_DATA_DIR": str(tmp_path / "cli"),
           "FORNACE_AUTH": "builtin"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        return result

    return run


def create_token(fornace_cli, *args: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(token id, secret) from ``fornace token create``'s output."""
    out = fornace_cli("token", "create", *args).stdout.strip().splitlines()
    assert out[0].startswith("Created token ")
    return out[0].split()[2], out[-1]


@pytest.fixture
def http(settings_factory, whoami_app) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    app = whoami_app(settings_factory(auth="builtin", builtin_token_cache_seconds=1.0))
    with running_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def whoami(http: httpx.Client, token: str) -> httpx.Response:
    return http.get("/whoami", headers={"X-Auth-Token": token})


def test_created_token_authenticates_with_its_identity(fornace_cli, http):
    _, secret = create_token(fornace_cli, "--user", "alice", "--project", "p1",
                             "--role", "member", "--role", "admin", "--description", "ci")
    resp = whoami(http, secret)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"user_id": "alice", "project_id": "p1", "roles": ["member", "admin"],
                           "is_admin": True}


def test_default_role_is_member(fornace_cli, http):  # type: ignore[no-untyped-def]
    _, secret = create_token(fornace_cli, "--user", "bob", "--project", "p2")
    assert whoami(http, secret).json()["roles"] == ["member"]
    assert whoami(http, secret).json()["is_admin"] is False


def test_revoked_token_is_refused_within_the_cache_time(fornace_cli, http):
    token_id, secret = create_token(fornace_cli, "--user", "carol", "--project", "p3")
    assert whoami(http, secret).status_code == 200  # now cached by the server
    assert fornace_cli("token", "revoke", token_id).output.strip() == f"revoked token {token_id}"
    deadline = time.monotonic() + 1.0 + 0.5  # cache time 1 s, plus slack
    while whoami(http, secret).status_code == 200:
        assert time.monotonic() < deadline, "revoked token still accepted after the cache time"
        time.sleep(0.1)
    resp = whoami(http, secret)
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"]
    assert resp.json()["error"]["message"].startswith("the token was revoked at ")
    assert resp.json()["error"]["reference"] == "token-revoked"
    again = fornace_cli("token", "revoke", token_id).output
    assert "already revoked" in again


def test_expired_token_is_refused(fornace_cli, http):  # type: ignore[no-untyped-def]
    _, secret = create_token(fornace_cli, "--user", "dave", "--project", "p4",
                             "--expires-in", "2s")
    assert whoami(http, secret).status_code == 200
    time.sleep(2.1)  # expiry is checked on every request, even for a cached token
    resp = whoami(http, secret)
    assert resp.status_code == 401
    assert resp.json()["error"]["message"].startswith("the token expired at ")


def test_unknown_and_missing_tokens_are_401_json(http):  # type: ignore[no-untyped-def]
    resp = whoami(http, "fnc_made-up")
    assert resp.status_code == 401
    assert resp.json()["error"]["message"] == "the token is not known to this server"
    assert "fornace token create" in resp.json()["error"]["hint"]
    missing = http.get("/whoami")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"]
    assert missing.json()["error"]["reference"] == "token-missing"


def test_only_the_hash_is_stored_and_list_never_shows_secrets(fornace_cli, clean_database):
    import hashlib

    token_id, secret = create_token(fornace_cli, "--user", "erin", "--project", "p5",
                                    "--expires-in", "30d", "--description", "for the dashboard")
    engine = make_engine(clean_database)
    with engine.connect() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(text("SELECT * FROM auth_token"))]
    engine.dispose()
    assert len(rows) == 1
    assert not any(secret in value or secret[4:] in value for value in rows[0])
    assert hashlib.sha256(secret.encode()).hexdigest() in rows[0]
    listing = fornace_cli("token", "list").output
    assert token_id in listing and "erin" in listing and "for the dashboard" in listing
    assert "active" in listing
    assert secret not in listing and secret[4:] not in listing


def test_quiet_create_prints_only_the_secret(fornace_cli, http):  # type: ignore[no-untyped-def]
    out = fornace_cli("token", "create", "--user", "f", "--project", "p6", "-q").output
    assert len(out.strip().splitlines()) == 1
    assert whoami(http, out.strip()).status_code == 200


@pytest.mark.parametrize(("args", "message"), [
    (["token", "create", "--user", "u", "--project", "p", "--expires-in", "soon"],
     "cannot read the duration 'soon'"),
    (["token", "create", "--user", "u", "--project", "p", "--expires-in", "0h"],
     "is not positive"),
    (["token", "create", "--user", "has space", "--project", "p"], "invalid user 'has space'"),
    (["token", "create", "--user", "u", "--project", "p", "--role", "a,b"], "invalid role 'a,b'"),
    (["token", "revoke", "0123456789abcdef0123456789abcdef"], "no token with id"),
])
def test_bad_input_fails_cleanly_and_stores_nothing(args, message, clean_database, tmp_path,
                                                    monkeypatch, capsys):
    monkeypatch.setenv("FORNACE_DATABASE_URL", clean_database)
    monkeypatch.setenv("FORNACE_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as exit_:
        main(args)
    # named exit codes (fornace/cli/exit_codes.py): 4 not found, 9 invalid input
    assert exit_.value.code == (4 if message == "no token with id" else 9)
    err = capsys.readouterr().err
    assert message in err and "Hint:" in err and "Traceback" not in err
    engine = make_engine(clean_database)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM auth_token")).scalar() == 0
    engine.dispose()


def test_token_commands_refuse_an_unmigrated_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FORNACE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SystemExit):
        main(["token", "list"])
    err = capsys.readouterr().err
    assert "fornace db upgrade" in err
    assert "API servers accept these tokens only with FORNACE_AUTH=builtin" in err
