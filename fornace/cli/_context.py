"""Where the CLI's client commands get their server, token and output format.

Precedence: ``--url``/``--token`` options, then FORNACE_URL/FORNACE_TOKEN, then
the endpoint named by ``--endpoint`` (or FORNACE_ENDPOINT, or ``default:``) in
``~/.config/fornace/client.yaml`` (FORNACE_CLIENT_CONFIG overrides the path)::

    default: local
    endpoints:
      local: {url: "http://127.0.0.1:8082", token: "admin"}
      prod:  {url: "https://fornace.example.com", token: "s3cr3t"}
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fornace.errors import ConfigurationError

if TYPE_CHECKING:
    from fornace.client import FornaceClient

DEFAULT_URL = "http://127.0.0.1:8082"


@dataclass(frozen=True)
class Endpoint:
    url: str
    token: str | None


def config_path() -> Path:
    explicit = os.environ.get("FORNACE_CLIENT_CONFIG")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "fornace" / "client.yaml"


def _read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"cannot read {path}: {exc}",
                                 hint="fix the YAML (see docs/cli.md, 'Config file')") from exc
    if not isinstance(data, dict) or not isinstance(data.get("endpoints", {}), dict):
        raise ConfigurationError(f"{path} must be a mapping with an 'endpoints' mapping",
                                 hint="see docs/cli.md, 'Config file'")
    return data


def resolve_endpoint(url: str | None, token: str | None, endpoint: str | None) -> Endpoint:
    url = url or os.environ.get("FORNACE_URL") or None
    token = token or os.environ.get("FORNACE_TOKEN") or None
    name = endpoint or os.environ.get("FORNACE_ENDPOINT") or None
    if url is None or token is None or name is not None:
        path = config_path()
        config = _read_config(path)
        name = name or config.get("default")
        if name is not None:
            entry = config.get("endpoints", {}).get(name)
            if not isinstance(entry, dict):
                known = ", ".join(sorted(config.get("endpoints", {}))) or "none"
                raise ConfigurationError(f"no endpoint named '{name}' in {path} (known: {known})",
                                         hint="add it under 'endpoints:' or pass --url")
            url = url or entry.get("url")
            token = token or entry.get("token")
    return Endpoint(url=str(url or DEFAULT_URL), token=str(token) if token else None)


def client_from(ctx: click.Context) -> FornaceClient:
    """The API client of this invocation, built once on first use."""
    root = ctx.find_root()
    obj = root.ensure_object(dict)
    if obj.get("client") is None:
        from fornace.client import FornaceClient

        found = resolve_endpoint(obj.get("url"), obj.get("token"), obj.get("endpoint"))
        obj["client"] = FornaceClient(found.url, found.token)
        root.call_on_close(obj["client"].close)
    client: FornaceClient = obj["client"]
    return client


def output_format(ctx: click.Context) -> str:
    return str(ctx.find_root().ensure_object(dict).get("output") or "table")
