"""Reading documents and arguments given on the command line."""

from __future__ import annotations

import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

import click

_PLACEHOLDER = re.compile(r"^===id(\d+)===$")


def read_document(filename: str | None, what: str) -> Any:
    """JSON or YAML from a file, or stdin when no file is given (parsed safely)."""
    try:
        text = Path(filename).read_text(encoding="utf-8") if filename else sys.stdin.read()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {filename}: {exc.strerror}") from exc
    try:
        return json.loads(text)
    except ValueError:
        pass
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise click.BadParameter(f"the {what} is neither JSON nor YAML: {exc}") from exc


def parse_arguments(items: tuple[str, ...]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; each value is JSON-decoded when it parses, else kept as text."""
    arguments: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise click.BadParameter(f"Argument should be in form of KEY=VALUE. Found: {item}",
                                     param_hint="--arguments")
        key, value = item.split("=", 1)
        try:
            arguments[key] = json.loads(value)
        except ValueError:
            arguments[key] = value
    return arguments


def replace_id_placeholders(value: Any, ids: dict[str, str] | None = None) -> Any:
    """Each '===idN===' string becomes a fresh id (the same N, the same id)."""
    ids = {} if ids is None else ids
    if isinstance(value, dict):
        return {k: replace_id_placeholders(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_id_placeholders(v, ids) for v in value]
    if isinstance(value, str):
        match = _PLACEHOLDER.match(value)
        if match:
            return ids.setdefault(match.group(1), uuid.uuid4().hex)
    return value


def check_model_patch(patch: Any) -> list[dict[str, Any]]:
    if not isinstance(patch, list):
        raise click.BadParameter("JSON-patch must be a list of changes")
    for change in patch:
        if not isinstance(change, dict) or "op" not in change or "path" not in change:
            raise click.BadParameter('Every change in JSON-patch must contain "op" and "path"')
        if change["op"] not in ("add", "replace", "remove"):
            raise click.BadParameter(
                f'The value of "op" must be "add", "replace" or "remove", got {change["op"]}')
        if change["op"] != "remove" and "value" not in change:
            raise click.BadParameter('"add" or "replace" changes must contain "value"')
    return patch
