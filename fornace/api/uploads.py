"""Reading a package upload: a ``multipart/form-data`` body with one file part.

Murano's upload takes at most two parts: the package archive (a part with a
file name) and, optionally, a text part holding JSON metadata (the client names
it ``__metadata__``). The body is parsed while it streams in, and refused as
soon as a part grows past its limit, so an oversized upload is never buffered.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from fornace.errors import InvalidInput

MAX_PARTS: Final = 2
MAX_METADATA_BYTES: Final = 64 * 1024
MAX_HEADER_BYTES: Final = 16 * 1024
# Room for the metadata part, the part headers and the boundaries.
BODY_OVERHEAD: Final = MAX_METADATA_BYTES + 4 * MAX_HEADER_BYTES


@dataclass(frozen=True)
class PackageUpload:
    archive: bytes
    filename: str
    metadata: dict[str, Any] | None


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)
    name: str = ""
    filename: str | None = None


def too_large(size_limit: int) -> InvalidInput:
    mb = round(size_limit / (1024 * 1024), 3)
    return InvalidInput(
        f"Uploading file is too large. The limit is {mb:g} Mb",
        hint="make the package smaller, or raise the package_size_limit_mb setting",
        reference="package-too-large",
    )


class _UploadReader:
    """Collects the parts of one multipart body, enforcing the limits as it goes."""

    def __init__(self, boundary: bytes, size_limit: int) -> None:
        self.size_limit = size_limit
        self.parts: list[_Part] = []
        self.error: InvalidInput | None = None
        self.finished = False
        self._field = bytearray()
        self._value = bytearray()
        self._header_bytes = 0
        self.parser = MultipartParser(boundary, {
            "on_part_begin": self._on_part_begin,
            "on_part_data": self._on_part_data,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_end": self._on_end,
        })

    def _fail(self, error: InvalidInput) -> None:
        if self.error is None:
            self.error = error

    def _on_part_begin(self) -> None:
        self.parts.append(_Part())
        self._header_bytes = 0
        if len(self.parts) > MAX_PARTS:
            self._fail(InvalidInput(
                "'multipart/form-data' request body should contain 1 or 2 parts: "
                f"json string and zip archive. Current body consists of more than {MAX_PARTS}",
                hint="send the package file and, optionally, one __metadata__ JSON part",
                reference="upload-too-many-parts",
            ))

    def _count_header(self, n: int) -> None:
        self._header_bytes += n
        if self._header_bytes > MAX_HEADER_BYTES:
            self._fail(InvalidInput("the headers of a multipart part are too long",
                                    reference="upload-malformed"))

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._value += data[start:end]

    def _on_header_end(self) -> None:
        name = self._field.decode("latin-1").strip().lower()
        self.parts[-1].headers[name] = self._value.decode("latin-1").strip()
        self._field.clear()
        self._value.clear()

    def _on_headers_finished(self) -> None:
        part = self.parts[-1]
        _disposition, options = parse_options_header(part.headers.get("content-disposition"))
        part.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        part.filename = None if filename is None else filename.decode("utf-8", "replace")

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        part = self.parts[-1]
        limit = self.size_limit if part.filename is not None else MAX_METADATA_BYTES
        if len(part.data) + (end - start) > limit:
            if part.filename is not None:
                self._fail(too_large(self.size_limit))
            else:
                self._fail(InvalidInput(
                    f"the metadata part {part.name!r} is over {MAX_METADATA_BYTES} bytes",
                    hint="send only tags, categories, description, name, is_public, enabled",
                    reference="upload-metadata-too-large",
                ))
            return
        part.data += data[start:end]

    def _on_end(self) -> None:
        self.finished = True

    def feed(self, chunk: bytes) -> None:
        try:
            self.parser.write(chunk)
        except FormParserError as exc:
            self._fail(InvalidInput(f"malformed multipart body: {exc}",
                                    reference="upload-malformed"))
        if self.error is not None:
            raise self.error


def boundary_of(content_type: str | None) -> bytes:
    """The multipart boundary, or InvalidInput if the body is not multipart/form-data."""
    ctype, options = parse_options_header(content_type)
    if ctype != b"multipart/form-data":
        raise InvalidInput(
            "Content-Type must be 'multipart/form-data'",
            hint="upload the package as a multipart form (curl -F file=@pkg.zip)",
            reference="upload-content-type",
        )
    boundary = options.get(b"boundary")
    if not boundary:
        raise InvalidInput("the multipart/form-data Content-Type has no boundary",
                           reference="upload-malformed")
    return boundary


async def read_package_upload(content_type: str | None, content_length: str | None,
                              body: AsyncIterator[bytes], size_limit: int) -> PackageUpload:
    """Parse the upload body as it streams in; refuse it as early as possible."""
    boundary = boundary_of(content_type)
    if content_length and content_length.isdigit() and \
            int(content_length) > size_limit + BODY_OVERHEAD:
        raise too_large(size_limit)
    reader = _UploadReader(boundary, size_limit)
    async for chunk in body:
        if chunk:
            reader.feed(chunk)
    if not reader.finished:
        raise InvalidInput("malformed multipart body: the closing boundary is missing",
                           reference="upload-malformed")
    return _assemble(reader.parts)


def _assemble(parts: list[_Part]) -> PackageUpload:
    files = [p for p in parts if p.filename is not None]
    texts = [p for p in parts if p.filename is None]
    if not files:
        raise InvalidInput(
            "There is no file package with application description",
            hint="add the package archive as a file part (curl -F file=@pkg.zip)",
            reference="upload-no-file",
        )
    if len(files) > 1:
        raise InvalidInput("the upload holds more than one file part",
                           hint="upload one package per request",
                           reference="upload-too-many-parts")
    archive = files[0]
    if not archive.data:
        raise InvalidInput("Uploading file can't be empty", reference="upload-empty")
    metadata = _parse_metadata(texts[0]) if texts else None
    return PackageUpload(archive=bytes(archive.data), filename=archive.filename or "",
                         metadata=metadata)


def _parse_metadata(part: _Part) -> dict[str, Any] | None:
    text = part.data.decode("utf-8", "replace").strip()
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(
            f"the metadata part {part.name!r} is not valid JSON: {exc}",
            hint='send a JSON object, e.g. {"categories": ["Web"], "is_public": false}',
            reference="upload-metadata-invalid",
        ) from exc
    if not isinstance(value, dict):
        raise InvalidInput(f"the metadata part {part.name!r} must be a JSON object",
                           hint='e.g. {"categories": ["Web"]}',
                           reference="upload-metadata-invalid")
    return value


async def read_limited_body(body: AsyncIterator[bytes], limit: int, what: str) -> bytes:
    """A small JSON body, refused (400) as soon as it passes ``limit`` bytes."""
    data = bytearray()
    async for chunk in body:
        data += chunk
        if len(data) > limit:
            raise InvalidInput(f"the {what} is over {limit} bytes",
                               hint=f"send a smaller {what}", reference="body-too-large")
    return bytes(data)
