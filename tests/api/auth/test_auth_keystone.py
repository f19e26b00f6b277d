"""Keystone mode against a real Keystone on loopback (see conftest.py)."""

from __future__ import annotations

import time

import httpx
import pytest

from fornace.api.app import make_auth_backend
from fornace.auth.backends.keystone import KeystoneBackend
from fornace.config import Settings
from fornace.errors import ConfigurationError, NotAuthenticated, ServiceUnavailable
from fornace.testing.servers import free_port, running_server

# Needs no particular database: run once per CI pass (the SQLite pass skips "slow").
# The first test also pays for installing (cold, ~1-3 min) and starting Keystone.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def keystone_settings(keystone, accounts, **changes) -> Settings:  # type: ignore[no-untyped-def]
    values = dict(auth="keystone", keystone_auth_url=keystone.url,
                  keystone_username=accounts.service_user,
                  keystone_password=accounts.service_password,
                  keystone_project_name="service")
    values.update(changes)
    return Settings(**values)


@pytest.fixture(scope="module")
def backend(keystone, keystone_accounts) -> KeystoneBackend:  # type: ignore[no-untyped-def]
    built = make_auth_backend(keystone_settings(keystone, keystone_accounts))
    assert isinstance(built, KeystoneBackend)
    return built


def test_member_token_gives_its_project_and_no_admin(backend, keystone, keystone_accounts):
    user_id, password = keystone_accounts.member
    token = keystone.token(keystone_accounts.member_name, password, keystone_accounts.project_name)
    ctx = backend.authenticate({"x-auth-token": token}, "req-1")
    assert ctx.user_id == user_id
    assert ctx.project_id == keystone_accounts.project_id
    assert "member" in ctx.roles and "admin" not in ctx.roles
    assert ctx.is_admin is False
    assert ctx.token == token and ctx.request_id == "req-1"
    assert ctx.user_name == keystone_accounts.member_name
    assert ctx.project_name == keystone_accounts.project_name


def test_admin_role_makes_an_admin_context(backend, keystone, keystone_accounts):
    user_id, password = keystone_accounts.admin
    token = keystone.token(keystone_accounts.admin_name, password, keystone_accounts.project_name)
    ctx = backend.authenticate({"x-auth-token": token}, "")
    assert (ctx.user_id, ctx.project_id) == (user_id, keystone_accounts.project_id)
    assert "admin" in ctx.roles
    assert ctx.is_admin is True


@pytest.mark.parametrize("token", ["garbage", "gAAAAABnot-a-real-fernet-token", "x" * 300])
def test_garbage_token_is_rejected(backend, token):  # type: ignore[no-untyped-def]
    with pytest.raises(NotAuthenticated, match="Keystone did not accept the token"):
        backend.authenticate({"x-auth-token": token}, "")


def test_missing_token_is_rejected_without_asking_keystone(backend):  # type: ignore[no-untyped-def]
    with pytest.raises(NotAuthenticated, match="no X-Auth-Token"):
        backend.authenticate({}, "")


def test_unreachable_keystone_is_503_not_401(keystone_accounts):  # type: ignore[no-untyped-def]
    class Down:
        url = f"http://127.0.0.1:{free_port()}/v3"

    backend = KeystoneBackend(keystone_settings(Down, keystone_accounts))
    with pytest.raises(ServiceUnavailable, match="cannot validate the token with Keystone"):
        backend.authenticate({"x-auth-token": "whatever"}, "")


def test_settings_without_keystone_url_are_a_configuration_error():
    with pytest.raises(ConfigurationError, match="needs the Keystone URL"):
        make_auth_backend(Settings(auth="keystone"))
    with pytest.raises(ConfigurationError, match="service user"):
        make_auth_backend(Settings(auth="keystone", keystone_auth_url="http://127.0.0.1:1/v3"))


def test_api_over_http_with_keystone_tokens(keystone, keystone_accounts, settings_factory,
                                            whoami_app):  # type: ignore[no-untyped-def]
    app = whoami_app(settings_factory(**keystone_settings(keystone, keystone_accounts).model_dump(
        include={"auth", "keystone_auth_url", "keystone_username", "keystone_password",
                 "keystone_project_name"})))
    _, password = keystone_accounts.member
    token = keystone.token(keystone_accounts.member_name, password, keystone_accounts.project_name)
    with running_server(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        ok = http.get("/whoami", headers={"X-Auth-Token": token})
        assert ok.status_code == 200, ok.text
        assert ok.json()["project_id"] == keystone_accounts.project_id
        assert ok.json()["is_admin"] is False
        start = time.monotonic()
        assert http.get("/whoami", headers={"X-Auth-Token": token}).status_code == 200
        assert time.monotonic() - start < 0.5  # auth_token's cache answered
        bad = http.get("/whoami", headers={"X-Auth-Token": "garbage"})
        assert bad.status_code == 401
        assert "WWW-Authenticate" in bad.headers
        assert bad.json()["error"]["message"].startswith("Keystone did not accept the token")
        assert http.get("/whoami").status_code == 401
