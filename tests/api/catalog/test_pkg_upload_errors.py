"""Refused uploads: each answers 4xx with a clear message and leaves the catalog unchanged."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import httpx
import pytest

from .catalog_helpers import ALICE, auth, zip_bytes

URL = "/v1/catalog/packages"


@pytest.fixture
def unchanged(make_package, upload, catalog_snapshot) -> Iterator[None]:
    """One package already stored; the test's refusal must leave every row as it was."""
    upload(make_package("com.example.Existing", version="1.0.0"), {"categories": ["Web"]},
           token=ALICE)
    before = catalog_snapshot()
    yield
    assert catalog_snapshot() == before


def _error(resp: httpx.Response, status: int) -> str:
    assert resp.status_code == status, resp.text
    message: str = resp.json()["error"]["message"]
    return message


def _pkg(make_package, fqn: str = "com.example.New") -> bytes:
    data: bytes = make_package(fqn).read_bytes()
    return data


@pytest.mark.usefixtures("unchanged")
class TestRefusedUploads:
    def test_missing_file_part(self, api: httpx.Client) -> None:
        resp = api.post(URL, data={"__metadata__": "{}"},
                        files={"__dummy__": (None, b"x")})  # multipart, but no file
        assert "no file package" in _error(resp, 400)

    def test_three_parts(self, api: httpx.Client, make_package) -> None:
        resp = api.post(URL, data={"__metadata__": "{}", "other": "x"},
                        files={"pkg": ("p.zip", _pkg(make_package), "application/zip")})
        assert "1 or 2 parts" in _error(resp, 400)

    def test_two_file_parts(self, api: httpx.Client, make_package) -> None:
        resp = api.post(URL, files=[("a", ("a.zip", _pkg(make_package, "com.example.A"))),
                                    ("b", ("b.zip", _pkg(make_package, "com.example.B")))])
        assert "more than one file part" in _error(resp, 400)

    @pytest.mark.parametrize("content_type", ["application/json", "application/zip", None])
    def test_wrong_content_type(self, api: httpx.Client, make_package,
                                content_type: str | None) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        resp = api.post(URL, content=_pkg(make_package), headers=headers)
        assert "multipart/form-data" in _error(resp, 400)

    def test_metadata_not_json(self, api: httpx.Client, make_package) -> None:
        resp = api.post(URL, data={"__metadata__": "{categories: Web"},
                        files={"pkg": ("p.zip", _pkg(make_package))})
        assert "not valid JSON" in _error(resp, 400)

    def test_metadata_not_an_object(self, api: httpx.Client, make_package) -> None:
        resp = api.post(URL, data={"__metadata__": '["Web"]'},
                        files={"pkg": ("p.zip", _pkg(make_package))})
        assert "must be a JSON object" in _error(resp, 400)

    @pytest.mark.parametrize("metadata, expected", [
        ({"owner_id": "proj-z"}, "Additional properties are not allowed"),
        ({"is_public": "yes"}, "is not of type 'boolean'"),
        ({"tags": ["a", "a"]}, "non-unique"),
        ({"categories": "Web"}, "is not of type 'array'"),
    ])
    def test_metadata_against_murano_schema(self, api: httpx.Client, make_package,
                                            metadata: dict[str, object], expected: str) -> None:
        resp = api.post(URL, data={"__metadata__": json.dumps(metadata)},
                        files={"pkg": ("p.zip", _pkg(make_package))})
        message = _error(resp, 400)
        assert message.startswith("Package schema is not valid") and expected in message

    def test_empty_file(self, api: httpx.Client) -> None:
        resp = api.post(URL, files={"pkg": ("p.zip", b"")})
        assert "can't be empty" in _error(resp, 400)

    def test_oversize_archive_with_content_length(self, api: httpx.Client) -> None:
        big = zip_bytes({"manifest.yaml": "FullName: com.example.Big\nType: Library\n",
                         "blob.bin": os.urandom(5 * 1024 * 1024 + 10)})
        resp = api.post(URL, files={"pkg": ("big.zip", big)})
        assert _error(resp, 400) == "Uploading file is too large. The limit is 5 Mb"

    def test_oversize_archive_streamed_without_length(self, api: httpx.Client) -> None:
        boundary = "fornaceboundary"

        def body() -> Iterator[bytes]:
            yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"pkg\"; "
                   f"filename=\"big.zip\"\r\n\r\n").encode()
            for _ in range(8):
                yield b"\0" * (1024 * 1024)
            yield f"\r\n--{boundary}--\r\n".encode()

        resp = api.post(URL, content=body(),
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert "too large" in _error(resp, 400)

    def test_not_a_zip(self, api: httpx.Client) -> None:
        resp = api.post(URL, files={"pkg": ("p.zip", b"PK but not really a zip")})
        assert "zip" in _error(resp, 400).lower()

    def test_manifest_missing(self, api: httpx.Client) -> None:
        resp = api.post(URL, files={"pkg": ("p.zip", zip_bytes({"README": "hi"}))})
        assert "manifest" in _error(resp, 400).lower()

    def test_unknown_category(self, api: httpx.Client, make_package) -> None:
        resp = api.post(URL, data={"__metadata__": json.dumps({"categories": ["Nope"],
                                                                 "tags": ["brand-new"]})},
                        files={"pkg": ("p.zip", _pkg(make_package))})
        assert _error(resp, 400) == "Category 'Nope' doesn't exist"

    def test_name_over_80_characters(self, api: httpx.Client, make_package) -> None:
        path = make_package("com.example.Long", name="x" * 81)
        resp = api.post(URL, files={"pkg": ("p.zip", path.read_bytes())})
        assert "80 characters maximum" in _error(resp, 400)

    def test_duplicate_upload(self, api: httpx.Client, make_package) -> None:
        path = make_package("com.example.Existing", version="1.0.0")
        resp = api.post(URL, headers=auth(ALICE), files={"pkg": ("p.zip", path.read_bytes())})
        assert "already registered" in _error(resp, 409)

    def test_public_upload_by_member(self, api: httpx.Client, make_package) -> None:
        resp = api.post(URL, headers=auth(ALICE), data={"__metadata__": '{"is_public": true}'},
                        files={"pkg": ("p.zip", _pkg(make_package))})
        assert "publicize_package" in _error(resp, 403)
