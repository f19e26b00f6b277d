"""What the local cloud offers: flavors, images, keypairs, availability zones,
in the shapes Nova and Glance answer with."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

# Nova's default flavors (id, name, vcpus, ram MiB, disk GiB).
FLAVORS: tuple[tuple[str, str, int, int, int], ...] = (
    ("1", "m1.tiny", 1, 512, 1),
    ("2", "m1.small", 1, 2048, 20),
    ("3", "m1.medium", 2, 4096, 40),
    ("4", "m1.large", 4, 8192, 80),
    ("5", "m1.xlarge", 8, 16384, 160),
)

HOST_IMAGE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "fornace:local-cloud:image:host"))
AVAILABILITY_ZONE = "nova"


def flavors() -> list[dict[str, Any]]:
    return [
        {
            "id": fid,
            "name": name,
            "vcpus": vcpus,
            "ram": ram,
            "disk": disk,
            "swap": "",
            "OS-FLV-EXT-DATA:ephemeral": 0,
            "is_public": True,
            "rxtx_factor": 1.0,
        }
        for fid, name, vcpus, ram, disk in FLAVORS
    ]


def find_flavor(ref: str) -> dict[str, Any] | None:
    return next((f for f in flavors() if ref in (f["id"], f["name"])), None)


def images() -> list[dict[str, Any]]:
    return [
        {
            "id": HOST_IMAGE_ID,
            "name": "host",
            "status": "active",
            "visibility": "public",
            "disk_format": "raw",
            "container_format": "bare",
            "os_distro": "host",
            # Murano's dashboard offers images carrying this Glance property.
            "murano_image_info": {"title": "Host userland (overlay)", "type": "linux"},
        }
    ]


def find_image(ref: str) -> dict[str, Any] | None:
    return next((i for i in images() if ref in (i["id"], i["name"])), None)


def keypairs(folder: Path) -> list[dict[str, Any]]:
    """Public keys stored as ``<folder>/<name>.pub``."""
    pairs = []
    for path in sorted(folder.glob("*.pub")) if folder.is_dir() else []:
        key = path.read_text().strip()
        digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()
        fingerprint = ":".join(digest[i : i + 2] for i in range(0, 32, 2))
        pairs.append(
            {"name": path.stem, "public_key": key, "fingerprint": fingerprint, "type": "ssh"}
        )
    return pairs


def availability_zones() -> list[dict[str, Any]]:
    return [{"zoneName": AVAILABILITY_ZONE, "zoneState": {"available": True}, "hosts": None}]
