"""Build small, valid application packages for tests and benchmarks."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

import yaml


def tiny_png(width: int = 4, height: int = 4, rgb: tuple[int, int, int] = (200, 80, 20)) -> bytes:
    """A real PNG image (solid colour)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    row = b"\x00" + bytes(rgb) * width
    raw = row * height
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def package_zip(fqn: str, *, name: str | None = None, version: str | None = None,
                package_type: str = "Application", tags: list[str] | None = None,
                description: str | None = None, require: dict[str, str | None] | None = None,
                ui: str | None = None, logo: bool = True,
                extra_manifest: dict[str, Any] | None = None,
                extra_files: dict[str, bytes | str] | None = None) -> bytes:
    """A MuranoPL/1.3 package with one class named after ``fqn`` that reports on deploy."""
    namespace, _, short = fqn.rpartition(".")
    manifest: dict[str, Any] = {
        "Format": "1.3",
        "Type": package_type,
        "FullName": fqn,
        "Name": name or short,
        "Description": description or f"Test package {fqn}",
        "Author": "Fornace tests",
        "Tags": tags or ["test"],
        "Classes": {fqn: f"{short}.yaml"},
    }
    if version:
        manifest["Version"] = version
    if require:
        manifest["Require"] = require
    manifest.update(extra_manifest or {})
    klass = {
        "Namespaces": {"=": namespace, "std": "io.murano"},
        "Name": short,
        "Extends": "std:Application",
        "Properties": {"name": {"Contract": "$.string().notNull()"},
                       "greeting": {"Contract": "$.string()", "Default": "hello"}},
        "Methods": {"deploy": {"Body": ["$.environment.reporter.report($this, $.greeting)"]}},
    }
    files: dict[str, bytes | str] = {
        "manifest.yaml": yaml.safe_dump(manifest, sort_keys=False),
        f"Classes/{short}.yaml": yaml.safe_dump(klass, sort_keys=False),
    }
    if ui is not None:
        files["UI/ui.yaml"] = ui
    if logo:
        files["logo.png"] = tiny_png()
    files.update(extra_files or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, content in files.items():
            zf.writestr(path, content)
    return buf.getvalue()


DEFAULT_UI = """\
Version: 2.2
Application:
  ?:
    type: {fqn}
  name: $.appConfiguration.name
Forms:
  - appConfiguration:
      fields:
        - name: name
          type: string
          label: Application name
"""
