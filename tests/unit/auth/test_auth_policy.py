"""Policy: Murano's defaults through oslo.policy, operator overrides, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from fornace.auth import policy
from fornace.auth.context import RequestContext
from fornace.config import Settings
from fornace.errors import ConfigurationError, Forbidden

MEMBER = RequestContext.build("u1", "p1", ["member", "reader"])
ADMIN = RequestContext.build("a1", "p1", ["admin", "member"])
CLOUD_ADMIN = RequestContext.build("a2", "p1", ["cloud-admin"], admin_role="cloud-admin")

ADMIN_ONLY = ["list_environments_all_tenants", "publicize_package", "add_category",
              "delete_category", "admin_api"]


@pytest.fixture(autouse=True)
def default_policy():  # type: ignore[no-untyped-def]
    policy.reset_policy()
    yield
    policy.reset_policy()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("rule", ADMIN_ONLY)
def test_admin_api_rules_deny_a_member_and_allow_an_admin(rule: str):
    assert policy.allowed(ADMIN, rule)
    assert not policy.allowed(MEMBER, rule)
    with pytest.raises(Forbidden) as err:
        policy.authorize(MEMBER, rule)
    assert rule in err.value.message
    assert err.value.reference == "policy-denied"
    assert "admin role" in (err.value.hint or "")


def test_admin_api_follows_is_admin_from_the_admin_role_setting():
    assert policy.allowed(CLOUD_ADMIN, "add_category")
    # context_is_admin is Murano's literal 'role:admin', independent of the setting
    assert not policy.allowed(CLOUD_ADMIN, "context_is_admin")
    assert policy.allowed(ADMIN, "context_is_admin")


@pytest.mark.parametrize("rule", [name for name, check, _ in policy.API_RULES
                                  if check == policy.RULE_DEFAULT])
def test_default_rules_allow_everyone(rule: str):
    policy.authorize(MEMBER, rule)
    assert policy.allowed(RequestContext.build("x", "y", []), rule)


@pytest.mark.parametrize("rule", [*policy.UNREGISTERED_RULES, "never_heard_of"])
def test_unregistered_rules_fall_back_to_default(rule: str, tmp_path: Path):
    assert policy.allowed(MEMBER, rule)
    policy.configure_policy(Settings(policy_file=write(tmp_path, 'default: "role:admin"')))
    assert not policy.allowed(MEMBER, rule)
    assert policy.allowed(ADMIN, rule)


def test_every_murano_rule_is_registered():
    names = set(policy.current_enforcer().rule_names())
    assert {"context_is_admin", "admin_api", "default"} <= names
    assert {name for name, _, _ in policy.API_RULES} <= names
    assert len(policy.API_RULES) == 26


def test_operator_file_makes_create_environment_admin_only(tmp_path: Path):
    policy.authorize(MEMBER, "create_environment")
    path = write(tmp_path, '# only admins create environments\n'
                           'create_environment: "rule:admin_api"\n')
    policy.configure_policy(Settings(policy_file=path))
    with pytest.raises(Forbidden) as err:
        policy.authorize(MEMBER, "create_environment")
    assert str(path) in (err.value.hint or "")
    policy.authorize(ADMIN, "create_environment")
    # the rules it does not mention keep their defaults
    assert policy.allowed(MEMBER, "delete_environment")
    assert not policy.allowed(MEMBER, "add_category")


def test_operator_file_can_open_an_admin_rule_and_use_the_target(tmp_path: Path):
    path = write(tmp_path, 'add_category: "role:catalog-editor"\n'
                           'show_environment: "project_id:%(project_id)s"\n')
    policy.configure_policy(Settings(policy_file=path))
    editor = RequestContext.build("e", "p1", ["catalog-editor"])
    assert policy.allowed(editor, "add_category")
    assert not policy.allowed(ADMIN, "add_category")
    assert policy.allowed(MEMBER, "show_environment", {"project_id": "p1"})
    assert not policy.allowed(MEMBER, "show_environment", {"project_id": "p2"})
    assert policy.allowed(MEMBER, "show_environment")  # default target: the caller's project


def test_empty_policy_file_keeps_the_defaults(tmp_path: Path):
    policy.configure_policy(Settings(policy_file=write(tmp_path, "")))
    assert policy.allowed(MEMBER, "create_environment")
    assert not policy.allowed(MEMBER, "add_category")


@pytest.mark.parametrize(("text", "message"), [
    ("create_environment: [", "cannot read policy file"),
    ("- create_environment\n", "must hold a mapping"),
    ("create_environment: 5\n", "are not 'name: \"check string\"' pairs"),
    ('create_environment: "role:admin or"\n', "cannot parse"),
    ('create_environment: "rule:no_such_rule"\n', "not well defined"),
    ('a: "rule:b"\nb: "rule:a"\n', "not well defined"),
])
def test_malformed_policy_file_is_a_configuration_error_naming_it(tmp_path: Path, text: str,
                                                                  message: str):
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError) as err:
        policy.configure_policy(Settings(policy_file=path))
    assert str(path) in err.value.message
    assert message in err.value.message
    assert err.value.hint
    assert policy.allowed(MEMBER, "create_environment")  # the previous policy stays in force


def test_missing_policy_file_is_a_configuration_error(tmp_path: Path):
    with pytest.raises(ConfigurationError, match="does not exist"):
        policy.configure_policy(Settings(policy_file=tmp_path / "nope.yaml"))


def test_decisions_are_memoised_per_caller_rule_and_target(monkeypatch: pytest.MonkeyPatch):
    enforcer = policy.current_enforcer()
    calls: list[str] = []
    real = enforcer._enforce

    def counting(ctx, rule, target):  # type: ignore[no-untyped-def]
        calls.append(rule)
        return real(ctx, rule, target)

    monkeypatch.setattr(enforcer, "_enforce", counting)
    for _ in range(100):
        assert policy.allowed(MEMBER, "list_environments")
        assert not policy.allowed(MEMBER, "add_category")
        assert policy.allowed(ADMIN, "add_category")
    assert sorted(calls) == ["add_category", "add_category", "list_environments"]
    # unhashable targets are decided without the memo, and still correctly
    assert policy.allowed(MEMBER, "show_environment", {"tags": ["a"]})


def test_remote_checks_turn_the_memo_off(tmp_path: Path):
    path = write(tmp_path, 'create_environment: "http://127.0.0.1:9/check"\n')
    enforcer = policy.configure_policy(Settings(policy_file=path))
    assert enforcer._cacheable is False


def test_create_app_configures_the_policy(tmp_path: Path, settings_factory):
    from fornace.api.app import create_app

    path = write(tmp_path, 'list_environments: "role:viewer"\n')
    create_app(settings_factory(policy_file=path))
    assert not policy.allowed(MEMBER, "list_environments")
    with pytest.raises(ConfigurationError, match=str(tmp_path / "bad.yaml")):
        create_app(settings_factory(policy_file=write(tmp_path, "x: [").rename(
            tmp_path / "bad.yaml")))
