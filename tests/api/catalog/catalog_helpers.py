"""Constants and helpers of the catalog API tests (fixtures are in conftest.py)."""

from __future__ import annotations

import io
import zipfile

ADMIN = "admin"                 # admin of project "admin"
ALICE = "alice:proj-a"          # member of project proj-a
BOB = "bob:proj-b"              # member of project proj-b
CATALOG_TABLES = ("package", "class_definition", "tag", "category", "package_to_tag",
                  "package_to_category")

def auth(token: str) -> dict[str, str]:
    return {"X-Auth-Token": token}


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()
