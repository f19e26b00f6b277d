"""User data to a boot script, the way cloud-init would run it.

Understood: a shell script (``#!`` first line, or plain commands), a
``#cloud-config`` document (``write_files``, ``bootcmd``, ``runcmd``; other
keys are listed as ignored in the boot script), and MIME multipart documents
holding those (what Heat's MultipartMime and Murano's instances send).
"""

from __future__ import annotations

import base64
import email
import email.policy
import gzip
import os
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from fornace.clouds.errors import TemplateInvalid

BOOT_DIR = "var/lib/fornace"


@dataclass
class Boot:
    """Files to place in the instance and the script run at boot, in order."""

    files: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # path -> (content, mode)
    early: list[str] = field(default_factory=list)  # bootcmd
    scripts: list[str] = field(default_factory=list)  # shell parts, in order
    late: list[str] = field(default_factory=list)  # runcmd
    notes: list[str] = field(default_factory=list)

    @property
    def commands(self) -> list[str]:
        """In cloud-init's order: bootcmd, then the user's scripts, then runcmd."""
        return [*self.early, *self.scripts, *self.late]

    def script(self) -> str:
        lines = ["#!/bin/sh", "# Written by the local cloud from the instance's user data."]
        lines += [f"# {note}" for note in self.notes]
        lines += self.commands
        return "\n".join(lines) + "\n"


def render(user_data: str | None, where: str) -> Boot:
    boot = Boot()
    if user_data:
        _part(boot, user_data, where)
    return boot


def _part(boot: Boot, text: str, where: str, content_type: str | None = None) -> None:
    head = text.lstrip()[:200]
    if content_type is None and (
        head.startswith("Content-Type:") or head.startswith("MIME-Version:")
    ):
        _multipart(boot, text, where)
    elif content_type == "text/cloud-config" or head.startswith("#cloud-config"):
        _cloud_config(boot, text, where)
    elif content_type in (None, "text/x-shellscript", "text/plain"):
        _script(boot, text)
    else:
        boot.notes.append(f"ignored a part of type {content_type}")


def _multipart(boot: Boot, text: str, where: str) -> None:
    message = email.message_from_string(text, policy=email.policy.compat32)
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        body = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
        _part(boot, body, where, part.get_content_type())


def _script(boot: Boot, text: str) -> None:
    index = sum(1 for p in boot.files if p.startswith(f"/{BOOT_DIR}/part-")) + 1
    path = f"/{BOOT_DIR}/part-{index:03d}"
    boot.files[path] = (text.encode(), 0o700)
    runner = "" if text.startswith("#!") else "/bin/sh "
    boot.scripts.append(f"{runner}{path}")


def _cloud_config(boot: Boot, text: str, where: str) -> None:
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise TemplateInvalid(
            f"{where}: the #cloud-config user data is not valid YAML ({exc}).",
            hint="Fix the cloud-config document.",
        ) from exc
    if not isinstance(doc, dict):
        raise TemplateInvalid(f"{where}: #cloud-config user data must be a mapping.")
    for command in doc.get("bootcmd") or []:
        boot.early.append(_command(command))
    for entry in doc.get("write_files") or []:
        path, content, mode = _file(entry, where)
        boot.files[path] = (content, mode)
    for command in doc.get("runcmd") or []:
        boot.late.append(_command(command))
    ignored = sorted(set(doc) - {"bootcmd", "write_files", "runcmd"})
    if ignored:
        boot.notes.append(f"cloud-config keys not applied: {', '.join(map(str, ignored))}")


def _command(command: Any) -> str:
    if isinstance(command, list):
        return " ".join(shlex.quote(str(c)) for c in command)
    return str(command)


def _file(entry: Any, where: str) -> tuple[str, bytes, int]:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise TemplateInvalid(f"{where}: each write_files entry needs a path.")
    path = safe_path(entry["path"], where)
    raw = entry.get("content", "")
    content = raw.encode() if isinstance(raw, str) else bytes(raw)
    encoding = str(entry.get("encoding", "")).lower()
    if encoding in ("b64", "base64"):
        content = base64.b64decode(content)
    elif encoding in ("gz+b64", "gzip+base64", "gz+base64", "gzip+b64"):
        content = gzip.decompress(base64.b64decode(content))
    elif encoding in ("gz", "gzip"):
        content = gzip.decompress(content)
    mode = int(str(entry.get("permissions", "0644")), 8)
    return path, content, mode


def safe_path(path: str, where: str) -> str:
    """An absolute path inside the instance, with no way out of it."""
    if not path.startswith("/"):
        raise TemplateInvalid(f"{where}: {path!r} must be an absolute path.")
    clean = os.path.normpath(path)
    if clean == "/" or ".." in PurePosixPath(clean).parts:
        raise TemplateInvalid(f"{where}: {path!r} is not a file path inside the instance.")
    return clean
