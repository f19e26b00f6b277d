"""Builder of the bad-package corpus.

Folder cases live next to this file (one folder per case). Hostile archives
that cannot exist as folders (path traversal, absolute paths, links,
duplicate entries, zip bombs, lying headers, huge entry counts...) are built
here at test time with :mod:`zipfile` and byte patches only, so the corpus
does not depend on the code under test.

``bad_archives()`` returns ``{case name: zip bytes}`` for every case.
"""

from __future__ import annotations

import io
import random
import stat
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
EPOCH = (1980, 1, 1, 0, 0, 0)

MANIFEST = b"""Format: 1.3
Type: Library
FullName: com.example.bad.Hostile
Name: Hostile sample
Classes: {}
"""


def _info(name: str, *, mode: int = stat.S_IFREG | 0o644,
          method: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.compress_type = method
    info.external_attr = mode << 16
    return info


def zip_of(entries: Iterable[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    """A zip with the given entries, in order, duplicates allowed."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries:
                zf.writestr(name if isinstance(name, zipfile.ZipInfo) else _info(name), data)
    return buffer.getvalue()


def folder_archive(folder: Path) -> bytes:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return zip_of((p.relative_to(folder).as_posix(), p.read_bytes()) for p in files)


def _with_manifest(*entries: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    return zip_of([("manifest.yaml", MANIFEST), *entries])


def _patch_sizes(data: bytes, name: str, *, declared: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in the local and central headers."""
    raw = bytearray(data)
    encoded = name.encode()
    # Local file header: signature, then size at offset 22; central header: offset 24.
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (pos := raw.find(signature, start)) != -1:
            start = pos + 4
            length_offset = 26 if signature == b"PK\x03\x04" else 28
            (name_length,) = struct.unpack_from("<H", raw, pos + length_offset)
            if bytes(raw[pos + name_offset:pos + name_offset + name_length]) == encoded:
                struct.pack_into("<I", raw, pos + size_offset, declared)
    return bytes(raw)


def _png(size: int) -> bytes:
    """A PNG signature and header followed by incompressible filler up to ``size`` bytes."""
    head = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(
        ">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    head += struct.pack(">I", zlib.crc32(head[12:]))
    return head + random.Random(7).randbytes(size - len(head))


def _symlink() -> bytes:
    return _with_manifest((_info("Resources/passwd", mode=stat.S_IFLNK | 0o777), b"/etc/passwd"))


def _zip_bomb() -> bytes:
    return _with_manifest(("Resources/zeros.bin", b"\x00" * (20 * 1024 * 1024)))


def _declared_too_big() -> bytes:
    honest = _with_manifest(("Resources/data.bin", b"fornace" * 100))
    return _patch_sizes(honest, "Resources/data.bin", declared=60 * 1024 * 1024)


def _lying_small_header() -> bytes:
    content = random.Random(3).randbytes(4096)
    honest = _with_manifest(("Resources/data.bin", content))
    return _patch_sizes(honest, "Resources/data.bin", declared=100)


def _many_entries() -> bytes:
    return _with_manifest(*((f"Resources/f{i}.txt", b"") for i in range(2001)))


def _oversized_archive() -> bytes:
    info = _info("Resources/noise.bin", method=zipfile.ZIP_STORED)
    return _with_manifest((info, random.Random(1).randbytes(5 * 1024 * 1024 + 10)))


def _patch_second_entry(data: bytes, local_offset: int, central_offset: int,
                        value: int) -> bytes:
    """Set a 16-bit header field of the second entry in both its headers."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)):
        positions = []
        start = 0
        while (pos := raw.find(signature, start)) != -1:
            positions.append(pos)
            start = pos + 4
        struct.pack_into("<H", raw, positions[1] + offset, value)
    return bytes(raw)


def _encrypted() -> bytes:
    # General purpose flag bit 0 (encrypted) on the second entry.
    data = _with_manifest(("Resources/secret.txt", b"not really encrypted"))
    return _patch_second_entry(data, 6, 8, 0x1)


def _unsupported_method() -> bytes:
    # Compression method 99 (AES in WinZip's scheme) on the second entry.
    data = _with_manifest(("Resources/odd.bin", b"payload" * 10))
    return _patch_second_entry(data, 8, 10, 99)


def _stored_manifest(extra: bytes) -> bytes:
    """A manifest with ``extra`` appended, stored uncompressed (no ratio refusal first)."""
    return zip_of([(_info("manifest.yaml", method=zipfile.ZIP_STORED), MANIFEST + extra)])


HOSTILE: dict[str, Callable[[], bytes]] = {
    "not_a_zip": lambda: b"manifest.yaml: this is not an archive\n" * 10,
    "empty_upload": lambda: b"",
    "truncated_zip": lambda: _with_manifest(("Resources/a.txt", b"abc" * 100))[:-30],
    "path_traversal": lambda: _with_manifest(("../../etc/cron.d/evil", b"* * * * * root id\n")),
    "path_traversal_inside": lambda: _with_manifest(("Resources/../../evil.sh", b"id\n")),
    "absolute_path": lambda: _with_manifest(("/etc/passwd", b"root:x:0:0::/root:/bin/sh\n")),
    "windows_drive_path": lambda: _with_manifest(("C:/Windows/evil.bat", b"echo evil\n")),
    "backslash_path": lambda: _with_manifest(("..\\..\\evil.sh", b"id\n")),
    "parent_directory_entry": lambda: _with_manifest(("../", b"")),
    "symlink_entry": _symlink,
    "duplicate_entries": lambda: zip_of([("manifest.yaml", MANIFEST),
                                         ("manifest.yaml", MANIFEST.replace(b"Library",
                                                                            b"Application"))]),
    "duplicate_after_normalising": lambda: _with_manifest(("Resources/a.sh", b"1"),
                                                          ("Resources/./a.sh", b"2")),
    "zip_bomb_ratio": _zip_bomb,
    "declared_size_over_limit": _declared_too_big,
    "lying_small_header": _lying_small_header,
    "many_entries": _many_entries,
    "archive_over_size_limit": _oversized_archive,
    "encrypted_entry": _encrypted,
    "unsupported_compression": _unsupported_method,
    "logo_too_big": lambda: _with_manifest(("logo.png", _png(500 * 1024 + 1))),
    # libyaml is quadratic on deep flow nesting and composes recursively in C.
    "yaml_deep_flow_nesting": lambda: zip_of([(
        "manifest.yaml", MANIFEST + b"Tags: " + b"[" * 10_000 + b"]" * 10_000 + b"\n")]),
    "yaml_deep_block_nesting": lambda: _stored_manifest(
        b"Meta:\n  x:\n  " + b"- " * 100_000 + b"deep\n"),
    "yaml_too_many_flow_collections": lambda: _stored_manifest(
        b"Tags: [" + b"[], " * 60_000 + b"[]]\n"),
}


def folder_cases() -> list[str]:
    return sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("_"))


def bad_archives() -> dict[str, bytes]:
    """Every case of the corpus as the bytes of an upload."""
    result = {name: folder_archive(HERE / name) for name in folder_cases()}
    for name, build in HOSTILE.items():
        result[name] = build()
    return result
