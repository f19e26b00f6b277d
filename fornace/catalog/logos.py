"""Package logos: the file named by ``Logo``/``Supplier.Logo`` (or the default), sniffed."""

from __future__ import annotations

from typing import Final

from fornace.catalog.archive import check_member_name
from fornace.catalog.errors import PackageError

MAX_LOGO_BYTES: Final = 500 * 1024
ALLOWED: Final = ("png", "jpeg", "gif")


def sniff_image(content: bytes) -> str | None:
    """``png``, ``jpeg`` or ``gif`` from the leading bytes, else None (extensions are ignored)."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def load_logo(files: dict[str, bytes], named: str | None, default: str,
              what: str) -> bytes | None:
    """The logo bytes; a missing default is no logo, a missing named file is an error."""
    path = check_member_name(named or default)
    content = files.get(path)
    if content is None:
        if named is None:
            return None
        raise PackageError(f"{what} file is missing", file=path,
                           hint=f"add {path} to the package or drop the manifest entry")
    kind = sniff_image(content)
    if kind is None:
        raise PackageError(f"{what}: Unsupported Format. Only png, jpeg, gif allowed",
                           file=path, hint="convert the image to PNG")
    if len(content) > MAX_LOGO_BYTES:
        raise PackageError(
            f"{what}: image size {len(content)} is too large. "
            f"Max allowed size is {MAX_LOGO_BYTES}",
            file=path, hint="shrink the image below 500 KiB")
    return content
