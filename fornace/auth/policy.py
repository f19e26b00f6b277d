"""Policy: Murano's rule names and defaults, enforced by oslo.policy.

``authorize(ctx, rule)`` raises Forbidden when the rule denies the call;
``allowed(ctx, rule)`` answers the same question with a bool.

The defaults are Murano's (``context_is_admin`` = ``role:admin``, ``admin_api``
= ``is_admin:True``, ``default`` = always). A rule nobody registered falls back
to ``default``. An operator overrides any rule with a YAML file
(``settings.policy_file``) of ``rule_name: "check string"`` lines; it is read
once by :func:`configure_policy` (called by ``create_app``), so a change needs a
restart. Without ``configure_policy`` the defaults apply.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from oslo_config import cfg
from oslo_policy import _checks, _parser
from oslo_policy import policy as oslo_policy

from fornace.auth.context import RequestContext
from fornace.errors import ConfigurationError, Forbidden

RULE_ADMIN_API = "rule:admin_api"
RULE_DEFAULT = "rule:default"

BASE_RULES: tuple[tuple[str, str], ...] = (
    ("context_is_admin", "role:admin"),
    ("admin_api", "is_admin:True"),
    ("default", ""),
)

# (name, default check string, what it guards) — Murano's registered rules.
API_RULES: tuple[tuple[str, str, str], ...] = (
    ("execute_action", RULE_DEFAULT, "Execute an action, show its task, call a static action."),
    ("get_category", RULE_DEFAULT, "Show or list categories."),
    ("add_category", RULE_ADMIN_API, "Create a category."),
    ("delete_category", RULE_ADMIN_API, "Delete a category."),
    ("list_deployments", RULE_DEFAULT, "List the deployments of an environment."),
    ("list_deployments_all_environments", RULE_DEFAULT, "List deployments of all environments."),
    ("statuses_deployments", RULE_DEFAULT, "Show the status reports of a deployment."),
    ("list_environments", RULE_DEFAULT, "List the environments of the project."),
    ("list_environments_all_tenants", RULE_ADMIN_API, "List environments of every project."),
    ("show_environment", RULE_DEFAULT, "Show an environment or part of its model."),
    ("update_environment", RULE_DEFAULT, "Rename an environment or patch its model."),
    ("create_environment", RULE_DEFAULT, "Create an environment (also from a template)."),
    ("delete_environment", RULE_DEFAULT, "Delete or abandon an environment."),
    ("list_env_templates", RULE_DEFAULT, "List environment templates."),
    ("create_env_template", RULE_DEFAULT, "Create an environment template."),
    ("show_env_template", RULE_DEFAULT, "Show an environment template."),
    ("update_env_template", RULE_DEFAULT, "Update an environment template."),
    ("delete_env_template", RULE_DEFAULT, "Delete an environment template."),
    ("clone_env_template", RULE_DEFAULT, "Clone a public environment template."),
    ("get_package", RULE_DEFAULT, "Show, list or search packages, their UI and logo."),
    ("upload_package", RULE_DEFAULT, "Upload a package."),
    ("modify_package", RULE_DEFAULT, "Update a package."),
    ("publicize_package", RULE_ADMIN_API, "Make a package public."),
    ("manage_public_package", RULE_DEFAULT, "Update or delete a public package."),
    ("delete_package", RULE_DEFAULT, "Delete a package."),
    ("download_package", RULE_DEFAULT, "Download a package archive."),
)

ADMIN_RULES = frozenset(name for name, check, _doc in API_RULES if check == RULE_ADMIN_API)

# Checked by Murano's routes but never registered: they fall back to ``default``.
UNREGISTERED_RULES = (
    "get_schema",
    "get_statistics",
    "get_instance_statistics",
    "get_aggregated_statistics",
    "update_service_env_template",
)


def rule_defaults() -> list[oslo_policy.RuleDefault]:
    defaults = [oslo_policy.RuleDefault(name, check) for name, check in BASE_RULES]
    defaults += [oslo_policy.RuleDefault(name, check, description=doc)
                 for name, check, doc in API_RULES]
    return defaults


def _read_policy_file(path: Path) -> dict[str, str]:
    where = f"policy file {path}"
    fix = ("write it as YAML lines 'rule_name: \"check string\"', "
           "e.g. 'create_environment: \"rule:admin_api\"'")
    try:
        data = yaml.safe_load(path.read_text())
    except FileNotFoundError as exc:
        raise ConfigurationError(f"{where} does not exist",
                                 hint="fix FORNACE_POLICY_FILE or create the file") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"cannot read {where}: {exc}", hint=fix) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError(f"{where} must hold a mapping, not {type(data).__name__}",
                                 hint=fix)
    bad = [str(k) for k, v in data.items() if not isinstance(k, str) or not isinstance(v, str)]
    if bad:
        raise ConfigurationError(f"{where}: the rules {', '.join(sorted(bad))} are not "
                                 f"'name: \"check string\"' pairs", hint=fix)
    return data


def _quiet_parse(check_str: str) -> _checks.BaseCheck:
    """oslo's parser logs a traceback for a bad check string; we report it ourselves."""
    parser_log = logging.getLogger(_parser.__name__)
    was_disabled, parser_log.disabled = parser_log.disabled, True
    try:
        return _parser.parse_rule(check_str)
    finally:
        parser_log.disabled = was_disabled


def _parse_overrides(path: Path, raw: dict[str, str]) -> dict[str, _checks.BaseCheck]:
    parsed: dict[str, _checks.BaseCheck] = {}
    for name, check_str in raw.items():
        check = _quiet_parse(check_str)
        if isinstance(check, _checks.FalseCheck) and check_str.strip() != "!":
            raise ConfigurationError(
                f"policy file {path}: rule {name!r} has a check string oslo.policy cannot "
                f"parse: {check_str!r}",
                hint="use checks like 'role:admin', 'rule:admin_api', "
                     "'project_id:%(project_id)s' joined by and/or/not",
            )
        parsed[name] = check
    return parsed


MEMO_SIZE = 4096


def _has_remote_check(check: _checks.BaseCheck) -> bool:
    if isinstance(check, _checks.Check) and check.kind in ("http", "https"):
        return True
    if isinstance(check, _checks.NotCheck):
        return _has_remote_check(check.rule)
    return any(_has_remote_check(c) for c in getattr(check, "rules", ()))


class PolicyEnforcer:
    """One oslo.policy Enforcer with Murano's defaults and the operator's overrides.

    Rules are resolved once here; checking a rule afterwards reads no file.
    """

    def __init__(self, policy_file: Path | None = None) -> None:
        conf = cfg.ConfigOpts()
        conf(args=[], default_config_files=[], default_config_dirs=[])
        self.policy_file = policy_file
        self._enforcer = oslo_policy.Enforcer(conf, use_conf=False)
        self._enforcer.register_defaults(rule_defaults())
        rules: dict[str, _checks.BaseCheck] = {
            d.name: d.check for d in self._enforcer.registered_rules.values()
        }
        self._admin_only = {name for name, check, _doc in API_RULES if check == RULE_ADMIN_API}
        self._admin_only |= {"admin_api", "context_is_admin"}
        self._overridden: frozenset[str] = frozenset()
        if policy_file is not None:
            overrides = _parse_overrides(policy_file, _read_policy_file(policy_file))
            self._overridden = frozenset(overrides)
            rules.update(overrides)
        self._enforcer.set_rules(oslo_policy.Rules(rules, "default"), use_conf=False)
        self._enforcer.skip_undefined_check = False
        # oslo.policy inspects every check's signature on each call (~40 us a
        # rule), so decisions are memoised: the rules are fixed for the life of
        # this object and a decision depends only on the caller and the target.
        # Remote (http:) checks may change their answer, so they turn it off.
        self._cacheable = not any(_has_remote_check(c) for c in rules.values())
        self._memo: dict[tuple[Any, ...], bool] = {}
        try:
            self._enforcer.check_rules(raise_on_violation=True)
        except oslo_policy.InvalidDefinitionError as exc:
            raise ConfigurationError(
                f"policy file {policy_file}: {exc}",
                hint="every 'rule:NAME' must name a defined rule and rules must not loop",
            ) from exc

    @staticmethod
    def credentials(ctx: RequestContext) -> dict[str, Any]:
        return {
            "user_id": ctx.user_id,
            "user": ctx.user_id,
            "project_id": ctx.project_id,
            "tenant": ctx.project_id,
            "tenant_id": ctx.project_id,
            "roles": list(ctx.roles),
            "is_admin": ctx.is_admin,
        }

    def allowed(self, ctx: RequestContext, rule: str,
                target: Mapping[str, Any] | None = None) -> bool:
        if target is None:
            target = {"project_id": ctx.project_id, "tenant_id": ctx.project_id,
                      "user_id": ctx.user_id}
        if not self._cacheable:
            return self._enforce(ctx, rule, target)
        try:
            key = (rule, ctx.user_id, ctx.project_id, ctx.roles, ctx.is_admin,
                   frozenset(target.items()))
            hash(key)
        except TypeError:  # a target with unhashable values: decide without the memo
            return self._enforce(ctx, rule, target)
        result = self._memo.get(key)
        if result is None:
            result = self._enforce(ctx, rule, target)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = result
        return result

    def _enforce(self, ctx: RequestContext, rule: str, target: Mapping[str, Any]) -> bool:
        return bool(self._enforcer.enforce(rule, dict(target), self.credentials(ctx)))

    def rule_names(self) -> Iterable[str]:
        return self._enforcer.rules.keys()

    def hint_for(self, rule: str) -> str:
        if self.policy_file is not None and rule in self._overridden:
            return (f"the operator's policy file {self.policy_file} restricts {rule!r}; "
                    "ask an operator for a role it allows")
        if rule in self._admin_only:
            return f"{rule!r} needs the admin role"
        return f"the policy rule {rule!r} denies this caller"


_lock = threading.Lock()
_current: PolicyEnforcer | None = None


def configure_policy(settings: Any) -> PolicyEnforcer:
    """Build the enforcer from ``settings.policy_file`` and make it the one in use."""
    global _current
    enforcer = PolicyEnforcer(settings.policy_file)
    with _lock:
        _current = enforcer
    return enforcer


def current_enforcer() -> PolicyEnforcer:
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = PolicyEnforcer()
    return _current


def reset_policy() -> None:
    """Forget the configured enforcer; the defaults apply again (tests)."""
    global _current
    with _lock:
        _current = None


def allowed(ctx: RequestContext, rule: str, target: Mapping[str, Any] | None = None) -> bool:
    return current_enforcer().allowed(ctx, rule, target)


def authorize(ctx: RequestContext, rule: str, target: Mapping[str, Any] | None = None) -> None:
    enforcer = current_enforcer()
    if not enforcer.allowed(ctx, rule, target):
        raise Forbidden(f"policy does not allow {rule} for this caller",
                        hint=enforcer.hint_for(rule), reference="policy-denied")
