"""The one place that talks HTTP: base URL, token header, error translation."""

from __future__ import annotations

import logging
import sys
from typing import Any


def _import_httpx_without_its_cli() -> None:
    """httpx's ``__init__`` imports its own command line (click, rich, pygments: about
    150 ms) when those are installed. The client never uses it, so block that one
    submodule while httpx loads, then unblock it (``import httpx._main`` still works)."""
    if "httpx" in sys.modules:
        return
    blocked = "httpx._main" not in sys.modules
    if blocked:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx  # noqa: F401
    finally:
        if blocked and sys.modules.get("httpx._main") is None:
            del sys.modules["httpx._main"]


_import_httpx_without_its_cli()

import httpx  # noqa: E402

from fornace.client.errors import APIConnectionError, error_for_response  # noqa: E402

log = logging.getLogger("fornace.client")

DEFAULT_URL = "http://127.0.0.1:8082"
USER_AGENT = "fornace-client"


class Transport:
    """Sends requests under ``{url}/v1`` and turns failures into client errors."""

    def __init__(self, url: str = DEFAULT_URL, token: str | None = None, *,
                 timeout: float = 60.0, http: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        headers = {"User-Agent": USER_AGENT}
        if token:
            headers["X-Auth-Token"] = token
        # a plain-http server needs no CA bundle; loading one costs ~50-100 ms per process
        verify = not self.url.startswith("http://")
        self._http = http or httpx.Client(timeout=timeout, verify=verify)
        self._headers = headers

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, *, params: Any = None, json: Any = None,
                headers: dict[str, str] | None = None, content: bytes | None = None,
                files: Any = None, data: Any = None) -> httpx.Response:
        url = f"{self.url}/v1{path}"
        all_headers = dict(self._headers)
        if headers:
            all_headers.update(headers)
        try:
            response = self._http.request(method, url, params=params, json=json,
                                          headers=all_headers, content=content, files=files,
                                          data=data)
        except httpx.TimeoutException as exc:
            raise APIConnectionError(
                f"Fornace at {self.url} did not answer in time ({type(exc).__name__})",
                hint="check that the server is healthy, or pass another --url") from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(
                f"cannot reach Fornace at {self.url}: {_reason(exc)}",
                hint="start it with 'fornace serve' or pass --url") from exc
        log.debug("%s %s -> %s", method, url, response.status_code)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            raise error_for_response(response.status_code, url, body, response.text)
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename" in lowered:
        return "unknown host"
    return text
