"""Settings: defaults, then a config file, then ``FORNACE_*`` environment variables.

The config file is YAML (``FORNACE_CONFIG``, default ``<data dir>/fornace.yaml``
when it exists); its keys are the field names below. Environment variables win.
Nothing is read at import time: call :func:`load_settings`.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fornace.errors import ConfigurationError


class AuthMode(StrEnum):
    NOAUTH = "noauth"
    BUILTIN = "builtin"
    KEYSTONE = "keystone"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "fornace"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FORNACE_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""  # empty: sqlite file under data_dir
    auth: AuthMode = AuthMode.NOAUTH
    bus_url: str = ""  # empty: the broker-less embedded transport
    bus_prefix: str = "fornace"  # queue names start with it (docs/bus.md)
    # Deployment engine (docs/engine.md).
    engine_workers: int = 2  # engine processes 'fornace serve' starts
    engine_lease_seconds: float = 30.0  # fencing lease; a dead engine's task waits this long
    engine_plugins: list[str] = Field(default_factory=list)  # "module:function" system classes
    engine_report_delay: float = 0.5  # s a report may wait to travel inside the result
    engine_cloud: str = "local"  # cloud driver of deployments: local | none
    engine_core_library: bool = True  # load io.murano from fornace.corelib (tests may not)
    host: str = "127.0.0.1"
    port: int = 8082
    # Policy: an operator's YAML file overriding Murano's default rules.
    policy_file: Path | None = None
    admin_role: str = "admin"
    # Catalog limits.
    package_size_limit_mb: float = 5.0
    package_unpacked_limit_mb: float = 50.0
    api_limit_default: int = 20
    api_limit_max: int = 100
    # Keystone (FORNACE_AUTH=keystone), passed to keystonemiddleware's auth_token.
    keystone_auth_url: str = ""
    keystone_www_authenticate_uri: str = ""
    keystone_username: str = ""
    keystone_password: SecretStr = SecretStr("")
    keystone_project_name: str = "service"
    keystone_user_domain_name: str = "Default"
    keystone_project_domain_name: str = "Default"
    keystone_interface: str = "internal"  # which identity endpoint of the catalog to use
    keystone_region_name: str = ""
    keystone_cafile: str = ""
    keystone_insecure: bool = False
    keystone_token_cache_seconds: int = 300  # auth_token's token_cache_time
    # Builtin auth: how long a looked-up token is trusted before asking the DB again
    # (a revoke from another process takes effect within this time).
    builtin_token_cache_seconds: float = 5.0
    # Engine → API calls that wait for an answer (static actions, schemas).
    rpc_timeout: float = 15.0
    # Secret used to encrypt secrets at rest; generated under data_dir when empty.
    secret_key: SecretStr = SecretStr("")
    load_sample_catalog: bool = True

    @field_validator("data_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'fornace.db'}"

    @property
    def package_size_limit(self) -> int:
        return int(self.package_size_limit_mb * 1024 * 1024)


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(
            f"cannot read config file {path}: {exc}",
            hint="fix the file or point FORNACE_CONFIG at another one",
        ) from exc
    if not isinstance(data, dict):
        raise ConfigurationError(
            f"config file {path} must hold a mapping of setting names to values",
            hint="write it as 'key: value' lines, e.g. 'auth: builtin'",
        )
    return data


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the config file, the environment and ``overrides`` (highest)."""
    file_values: dict[str, Any] = {}
    config_path = os.environ.get("FORNACE_CONFIG")
    if config_path:
        file_values = _read_config_file(Path(config_path))
    else:
        data_dir = Path(os.environ.get("FORNACE_DATA_DIR") or default_data_dir())
        candidate = data_dir / "fornace.yaml"
        if candidate.is_file():
            file_values = _read_config_file(candidate)
    # Environment variables beat the file: drop file keys that the environment sets.
    env_keys = {k[len("FORNACE_"):].lower() for k in os.environ if k.startswith("FORNACE_")}
    init = {k: v for k, v in file_values.items() if k not in env_keys}
    init.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**init)
    except ValueError as exc:
        raise ConfigurationError(
            f"invalid settings: {exc}", hint="check FORNACE_* variables and the config file"
        ) from exc
