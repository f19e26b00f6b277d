"""Keystone mode: tokens validated by keystonemiddleware's auth_token, as Murano did.

auth_token is WSGI middleware. One AuthProtocol is built per backend (it
keeps its own token cache and a session with Keystone) and driven per request
on a minimal WSGI environ that carries only the token: the middleware either
answers (401 bad token, 503 Keystone unreachable) or calls our tiny inner app
with the identity headers it added (X-User-Id, X-Project-Id, X-Roles, ...).
``authenticate`` blocks, so it runs in FastAPI's thread pool like every sync
dependency.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fornace.auth.context import RequestContext
from fornace.errors import ConfigurationError, NotAuthenticated, ServiceUnavailable

GROUP = "keystone_authtoken"
REACHED = "fornace.auth.reached"


def _inner_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ[REACHED] = True
    start_response("204 No Content", [])
    return [b""]


def middleware_options(settings: Any) -> dict[str, Any]:
    """auth_token options (group keystone_authtoken) from our ``keystone_*`` settings."""
    if not settings.keystone_auth_url:
        raise ConfigurationError(
            "auth mode keystone needs the Keystone URL",
            hint="set FORNACE_KEYSTONE_AUTH_URL, e.g. http://keystone:5000/v3",
        )
    if not settings.keystone_username or not settings.keystone_password.get_secret_value():
        raise ConfigurationError(
            "auth mode keystone needs a service user to validate tokens",
            hint="set FORNACE_KEYSTONE_USERNAME and FORNACE_KEYSTONE_PASSWORD "
                 "(a user with the 'service' role in the service project)",
        )
    options: dict[str, Any] = {
        "www_authenticate_uri": (settings.keystone_www_authenticate_uri
                                 or settings.keystone_auth_url),
        "interface": settings.keystone_interface,
        "token_cache_time": settings.keystone_token_cache_seconds,
        "insecure": settings.keystone_insecure,
        "delay_auth_decision": False,
        "include_service_catalog": False,
        "auth_type": "password",
        "auth_url": settings.keystone_auth_url,
        "username": settings.keystone_username,
        "password": settings.keystone_password.get_secret_value(),
        "project_name": settings.keystone_project_name,
        "user_domain_name": settings.keystone_user_domain_name,
        "project_domain_name": settings.keystone_project_domain_name,
    }
    if settings.keystone_cafile:
        options["cafile"] = settings.keystone_cafile
    if settings.keystone_region_name:
        options["region_name"] = settings.keystone_region_name
    return options


def _private_config(options: Mapping[str, Any]) -> Any:
    """An oslo.config object of our own, so nothing lands in the process-wide cfg.CONF."""
    from keystoneauth1 import loading
    from keystonemiddleware import auth_token
    from oslo_config import cfg

    conf = cfg.ConfigOpts()
    conf(args=[], project="fornace", default_config_files=[], default_config_dirs=[])
    for group, opts in auth_token.list_opts():
        conf.register_opts(opts, group=group)
    conf.register_opts(loading.get_auth_plugin_conf_options("password"), group=GROUP)
    for name, value in options.items():
        conf.set_override(name, value, group=GROUP)
    return conf


class KeystoneBackend:
    def __init__(self, settings: Any) -> None:
        try:
            from keystonemiddleware import auth_token
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ConfigurationError(
                "auth mode keystone needs keystonemiddleware",
                hint="pip install 'fornace[keystone]'",
            ) from exc
        self.admin_role = settings.admin_role
        self.auth_url = settings.keystone_auth_url
        conf = _private_config(middleware_options(settings))
        self._protocol = auth_token.AuthProtocol(_inner_app, {"oslo_config_config": conf})

    def authenticate(self, headers: Mapping[str, str], request_id: str) -> RequestContext:
        token = headers.get("x-auth-token", "").strip()
        if not token:
            raise NotAuthenticated("the request has no X-Auth-Token header",
                                   hint="get a token from Keystone ('openstack token issue') "
                                        "and send it as X-Auth-Token",
                                   reference="token-missing")
        environ = self._validate(token)
        project_id = environ.get("HTTP_X_PROJECT_ID")
        if not project_id:
            raise NotAuthenticated("the Keystone token is not scoped to a project",
                                   hint="issue a project-scoped token (--os-project-name)",
                                   reference="token-unscoped")
        roles = [r.strip() for r in environ.get("HTTP_X_ROLES", "").split(",")]
        return RequestContext.build(
            environ.get("HTTP_X_USER_ID", ""), project_id, roles,
            admin_role=self.admin_role, token=token, request_id=request_id,
            user_name=environ.get("HTTP_X_USER_NAME"),
            project_name=environ.get("HTTP_X_PROJECT_NAME"),
        )

    def _validate(self, token: str) -> dict[str, Any]:
        """Run auth_token on an environ holding only the token; the environ it leaves."""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET", "PATH_INFO": "/", "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "fornace", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False, "HTTP_X_AUTH_TOKEN": token,
        }
        status: list[str] = []

        def start_response(line: str, _headers: Any, _exc_info: Any = None) -> None:
            status.append(line)

        for _chunk in self._protocol(environ, start_response):
            pass
        if environ.get(REACHED) and environ.get("HTTP_X_IDENTITY_STATUS") == "Confirmed":
            return environ
        code = status[0].split(" ", 1)[0] if status else ""
        if code == "401" or environ.get(REACHED):
            raise NotAuthenticated("Keystone did not accept the token (invalid or expired)",
                                   hint="get a new token from Keystone and send it as X-Auth-Token",
                                   reference="token-invalid")
        answer = status[0] if status else "no answer"
        raise ServiceUnavailable(
            f"cannot validate the token with Keystone at {self.auth_url} ({answer})",
            hint="check that Keystone is reachable and the FORNACE_KEYSTONE_* service "
                 "credentials are right",
        )
