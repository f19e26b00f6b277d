"""noauth mode: the token names the caller."""

from __future__ import annotations

import pytest

from fornace.auth.backends.noauth import NoAuthBackend
from fornace.errors import NotAuthenticated


def auth(token: str | None, admin_role: str = "admin"):  # type: ignore[no-untyped-def]
    headers = {} if token is None else {"x-auth-token": token}
    return NoAuthBackend(admin_role).authenticate(headers, "req-7")


def test_user_and_project_give_a_member():
    ctx = auth("alice:proj1")
    assert (ctx.user_id, ctx.project_id, ctx.roles, ctx.is_admin) == ("alice", "proj1",
                                                                      ("member",), False)
    assert ctx.token == "alice:proj1" and ctx.request_id == "req-7"


def test_roles_are_listed_after_the_second_colon():
    ctx = auth("bob:p2:reader, admin")
    assert ctx.roles == ("reader", "admin")
    assert ctx.is_admin is True


def test_admin_role_setting_decides_is_admin():
    assert auth("bob:p2:admin", admin_role="cloud-admin").is_admin is False
    assert auth("bob:p2:cloud-admin", admin_role="cloud-admin").is_admin is True


def test_empty_role_list_means_no_roles():
    ctx = auth("carol:p3:")
    assert ctx.roles == () and ctx.is_admin is False


def test_bare_token_is_an_admin_of_project_admin():
    ctx = auth("admin")
    assert (ctx.user_id, ctx.project_id, ctx.is_admin) == ("admin", "admin", True)
    assert auth("ops").project_id == "admin"


@pytest.mark.parametrize("token", ["a:b:c:d", ":proj", "user:", "user: :member", "::"])
def test_malformed_tokens_are_401_with_the_expected_shape(token: str):
    with pytest.raises(NotAuthenticated) as err:
        auth(token)
    assert err.value.reference == "token-malformed"
    assert "malformed noauth token" in err.value.message
    assert "user:project" in (err.value.hint or "")


@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_token_is_401(token: str | None):
    with pytest.raises(NotAuthenticated, match="no X-Auth-Token"):
        auth(token)
