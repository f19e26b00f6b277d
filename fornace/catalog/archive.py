"""Safe reading and deterministic writing of package archives (zip) and folders.

An uploaded archive is untrusted. :func:`read_archive` refuses, before
reading any content: archives over the size limit, too many entries,
duplicate names, names that could leave the package root (absolute paths,
``..``, drive letters, backslashes), symbolic links, and entries whose
declared sizes or compression ratio look like a zip bomb. While reading it
never trusts the headers: every entry is decompressed in bounded chunks and
counted against its declared size and the unpacked total.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from fornace.catalog.errors import PackageError

MB: Final = 1024 * 1024
DEFAULT_SIZE_LIMIT: Final = 5 * MB
DEFAULT_UNPACKED_LIMIT: Final = 50 * MB
DEFAULT_MAX_ENTRIES: Final = 2000
DEFAULT_MAX_RATIO: Final = 100
# Small entries compress well for honest reasons (padding, repeated YAML keys).
RATIO_EXEMPT_BYTES: Final = 64 * 1024
_CHUNK: Final = 64 * 1024
# The fixed timestamp of archives we write, so the same files give the same bytes.
_EPOCH: Final = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits applied to one package; all in bytes except the counts."""

    size: int = DEFAULT_SIZE_LIMIT
    unpacked: int = DEFAULT_UNPACKED_LIMIT
    entries: int = DEFAULT_MAX_ENTRIES
    ratio: int = DEFAULT_MAX_RATIO

    @classmethod
    def from_settings(cls, settings: object) -> ArchiveLimits:
        """Limits from :class:`fornace.config.Settings` (package_*_limit_mb)."""
        size_mb = float(getattr(settings, "package_size_limit_mb", DEFAULT_SIZE_LIMIT / MB))
        unpacked_mb = float(
            getattr(settings, "package_unpacked_limit_mb", DEFAULT_UNPACKED_LIMIT / MB))
        return cls(size=int(size_mb * MB), unpacked=int(unpacked_mb * MB))


def check_member_name(name: str) -> str:
    """The normalised relative path of an entry, or PackageError if it could escape."""
    if not name or "\x00" in name:
        raise PackageError("an entry has an empty or NUL-containing name",
                           hint="rebuild the archive with ordinary file names")
    if "\\" in name:
        raise PackageError(f"entry name {name!r} contains a backslash", file=name,
                           hint="use forward slashes in archive paths")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise PackageError(f"entry name {name!r} is an absolute path", file=name,
                           hint="archive paths must be relative to the package root")
    parts = PurePosixPath(name).parts
    if ".." in parts:
        raise PackageError(f"entry name {name!r} leaves the package root", file=name,
                           hint="archive paths must not contain '..'")
    return "/".join(p for p in parts if p != ".")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def read_archive(data: bytes, limits: ArchiveLimits = ArchiveLimits()) -> dict[str, bytes]:
    """Files of a zip archive as ``{relative path: content}`` (directories omitted)."""
    if len(data) > limits.size:
        raise PackageError(
            f"the archive is {len(data)} bytes, over the {limits.size} byte limit",
            hint="make the package smaller or raise package_size_limit_mb")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise PackageError("not a zip archive",
                           hint="upload the package as a .zip file") from exc
    if len(infos) > limits.entries:
        raise PackageError(
            f"the archive has {len(infos)} entries, over the {limits.entries} entry limit",
            hint="remove unneeded files from the package")
    seen: set[str] = set()
    declared_total = 0
    members: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        name = check_member_name(info.filename)
        if _is_symlink(info):
            raise PackageError(f"entry {name!r} is a symbolic link", file=name,
                               hint="store the file itself, not a link")
        key = name.rstrip("/")
        if key in seen:
            raise PackageError(f"entry {key!r} appears more than once", file=key,
                               hint="rebuild the archive so every path is stored once")
        seen.add(key)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise PackageError(f"entry {name!r} is encrypted", file=name,
                               hint="packages must not be password-protected")
        declared_total += info.file_size
        if declared_total > limits.unpacked:
            raise PackageError(
                f"the unpacked package would exceed the {limits.unpacked} byte limit",
                file=name, hint="make the package smaller or raise package_unpacked_limit_mb")
        if info.file_size > RATIO_EXEMPT_BYTES and (
                info.file_size > limits.ratio * max(info.compress_size, 1)):
            raise PackageError(
                f"entry {name!r} expands {info.file_size // max(info.compress_size, 1)}"
                f" times, over the {limits.ratio}x compression ratio limit", file=name,
                hint="this looks like a zip bomb; store the file with less compression")
        members.append((name, info))
    files: dict[str, bytes] = {}
    unpacked = 0
    for name, info in members:
        content = _read_member(zf, info, name, limits.unpacked - unpacked)
        unpacked += len(content)
        files[name] = content
    return files


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int) -> bytes:
    """Decompress one entry in chunks, never past its declared size or the budget."""
    allowed = min(info.file_size, budget)
    out = bytearray()
    try:
        with zf.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                out += chunk
                if len(out) > allowed:
                    if len(out) > info.file_size:
                        raise PackageError(
                            f"entry {name!r} holds more data than its header declares",
                            file=name, hint="the archive is corrupt or hostile; rebuild it")
                    raise PackageError(
                        "the unpacked package exceeds the unpacked size limit", file=name,
                        hint="make the package smaller or raise package_unpacked_limit_mb")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise PackageError(f"entry {name!r} cannot be read: {exc}", file=name,
                           hint="the archive is corrupt; rebuild it") from exc
    return bytes(out)


def build_archive(files: dict[str, bytes]) -> bytes:
    """A zip of ``files``: sorted, fixed timestamps, deflated, so equal inputs give equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(check_member_name(name), date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, files[name])
    return buffer.getvalue()


def read_folder(root: Path, limits: ArchiveLimits = ArchiveLimits()) -> dict[str, bytes]:
    """Files of a package folder; links are refused, limits apply as for archives."""
    root = Path(root)
    if not root.is_dir():
        raise PackageError(f"{root} is not a folder", hint="give the package folder")
    files: dict[str, bytes] = {}
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for entry in dirnames + filenames:
            full = Path(dirpath) / entry
            rel = full.relative_to(root).as_posix()
            if full.is_symlink():
                raise PackageError(f"{rel!r} is a symbolic link", file=rel,
                                   hint="copy the file into the package instead of linking")
        for entry in filenames:
            full = Path(dirpath) / entry
            rel = full.relative_to(root).as_posix()
            if not full.is_file():
                raise PackageError(f"{rel!r} is not a regular file", file=rel,
                                   hint="remove it from the package folder")
            total += full.stat().st_size
            if total > limits.unpacked:
                raise PackageError(
                    f"the unpacked package would exceed the {limits.unpacked} byte limit",
                    file=rel, hint="make the package smaller or raise package_unpacked_limit_mb")
            files[rel] = full.read_bytes()
            if len(files) > limits.entries:
                raise PackageError(
                    f"the package has more than {limits.entries} files",
                    hint="remove unneeded files from the package")
    return files
