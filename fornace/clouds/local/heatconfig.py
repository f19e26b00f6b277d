"""Heat's software configuration resources: pieces of user data."""

from __future__ import annotations

import email.mime.multipart
import email.mime.text
from typing import Any

import yaml

from fornace.clouds.local.context import CONFIG_TYPES, Context
from fornace.clouds.local.handler import Handler
from fornace.clouds.local.template import UNKNOWN, contains_unknown


class ConfigHandler(Handler):
    """OS::Heat::SoftwareConfig / CloudConfig / MultipartMime: user data pieces."""

    def __init__(self, type_name: str, properties: set[str]) -> None:
        self.type_name = type_name
        self.properties = frozenset(properties)

    def static(self, rec: dict[str, Any]) -> bool:
        return True

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"config": config_text(ctx, rec)}


def config_text(ctx: Context, rec: dict[str, Any]) -> Any:
    props = rec.get("properties") or {}
    kind = rec.get("type")
    if kind == "OS::Heat::SoftwareConfig":
        return props.get("config") or ""
    if kind == "OS::Heat::CloudConfig":
        body = props.get("cloud_config") or {}
        if contains_unknown(body):
            return UNKNOWN
        return "#cloud-config\n" + yaml.safe_dump(body, default_flow_style=False)
    message = email.mime.multipart.MIMEMultipart()
    for part in props.get("parts") or []:
        config = part.get("config")
        source = ctx.by_id(config, *CONFIG_TYPES)
        text = config_text(ctx, source) if source is not None else config
        if text is UNKNOWN or contains_unknown(text):
            return UNKNOWN
        subtype = part.get("subtype") or (
            "cloud-config" if str(text).startswith("#cloud-config") else "x-shellscript"
        )
        piece = email.mime.text.MIMEText(str(text), subtype, "utf-8")
        if part.get("filename"):
            piece.add_header("Content-Disposition", "attachment", filename=part["filename"])
        message.attach(piece)
    return message.as_string()
