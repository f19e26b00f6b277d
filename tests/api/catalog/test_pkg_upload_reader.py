"""The upload reader refuses a body while it streams, without buffering the rest."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from fornace.api.uploads import read_package_upload
from fornace.errors import InvalidInput

BOUNDARY = "b0undary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
MIB = 1024 * 1024


def _file_part_head(name: str = "pkg", filename: str = "p.zip") -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: application/zip\r\n\r\n").encode()


def test_oversize_file_part_is_refused_after_reading_just_past_the_limit() -> None:
    consumed = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal consumed
        yield _file_part_head()
        for _ in range(100):  # 100 MiB on offer
            consumed += 1
            yield b"\0" * MIB

    with pytest.raises(InvalidInput, match="too large. The limit is 2 Mb"):
        asyncio.run(read_package_upload(CONTENT_TYPE, None, body(), 2 * MIB))
    assert consumed == 3  # the third MiB crosses the 2 MiB limit; nothing after it is read


def test_declared_content_length_over_the_limit_is_refused_before_reading() -> None:
    async def body() -> AsyncIterator[bytes]:
        raise AssertionError("the body must not be read")
        yield b""  # pragma: no cover

    with pytest.raises(InvalidInput, match="too large"):
        asyncio.run(read_package_upload(CONTENT_TYPE, str(50 * MIB), body(), 2 * MIB))


def test_third_part_is_refused_as_soon_as_it_begins() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield _file_part_head() + b"zip-bytes\r\n"
        yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"__metadata__\""
               f"\r\n\r\n{{}}\r\n").encode()
        yield f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n".encode()
        raise AssertionError("the third part's data must not be read")

    with pytest.raises(InvalidInput, match="1 or 2 parts"):
        asyncio.run(read_package_upload(CONTENT_TYPE, None, body(), 2 * MIB))


def test_truncated_body_is_refused() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield _file_part_head() + b"zip-bytes"

    with pytest.raises(InvalidInput, match="closing boundary is missing"):
        asyncio.run(read_package_upload(CONTENT_TYPE, None, body(), 2 * MIB))


def test_file_and_metadata_parts_are_returned() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"__metadata__\""
               f"\r\n\r\n{{\"tags\": [\"x\"]}}\r\n").encode()
        yield _file_part_head(filename="com.example.App.zip") + b"PK\x03\x04data"
        yield f"\r\n--{BOUNDARY}--\r\n".encode()

    upload = asyncio.run(read_package_upload(CONTENT_TYPE, None, body(), 2 * MIB))
    assert upload.archive == b"PK\x03\x04data"
    assert upload.filename == "com.example.App.zip"
    assert upload.metadata == {"tags": ["x"]}
