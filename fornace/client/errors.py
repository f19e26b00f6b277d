"""Errors the client raises. Each is a Fornace error category, so callers can
catch ``fornace.errors.NotFound`` whether it came from the server or not.

    ClientError (mixin: status, url, server reference)
     +-- ClientNotFound            HTTP 404
     +-- ClientForbidden           HTTP 403
     +-- ClientConflict            HTTP 409
     +-- ClientInvalidInput        HTTP 400, 413, 415, 422
     +-- ClientNotAuthenticated    HTTP 401
     +-- ClientServiceUnavailable  HTTP 5xx
     +-- APIConnectionError        the server could not be reached at all

The message is the server's ``error.message``; the hint is the server's
``error.hint`` when it sent one, else a client-side suggestion.
"""

from __future__ import annotations

from typing import Any

from fornace.errors import (
    Conflict,
    Forbidden,
    FornaceError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    ServiceUnavailable,
)


class ClientError(FornaceError):
    """Base of the errors raised for an HTTP answer; ``status`` is its code."""

    status: int = 0
    url: str = ""


class ClientNotFound(ClientError, NotFound):
    reference = "not-found"


class ClientForbidden(ClientError, Forbidden):
    reference = "forbidden"


class ClientConflict(ClientError, Conflict):
    reference = "conflict"


class ClientInvalidInput(ClientError, InvalidInput):
    reference = "invalid-input"


class ClientNotAuthenticated(ClientError, NotAuthenticated):
    reference = "not-authenticated"


class ClientServiceUnavailable(ClientError, ServiceUnavailable):
    reference = "service-unavailable"


class APIConnectionError(ServiceUnavailable):
    """No HTTP answer: refused, unresolvable, timed out."""

    reference = "api-unreachable"


_BY_STATUS: dict[int, type[ClientError]] = {
    400: ClientInvalidInput, 401: ClientNotAuthenticated, 403: ClientForbidden,
    404: ClientNotFound, 409: ClientConflict, 413: ClientInvalidInput,
    415: ClientInvalidInput, 422: ClientInvalidInput,
}

_DEFAULT_HINTS: dict[type[ClientError], str] = {
    ClientNotAuthenticated: "pass a valid --token (or set FORNACE_TOKEN)",
    ClientServiceUnavailable: "check the server's log; retry when it is back",
}


def error_for_response(status: int, url: str, body: Any, text: str) -> ClientError:
    """The error for a non-2xx answer, carrying the server's message and hint."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ClientServiceUnavailable if status >= 500 else ClientInvalidInput
    message, hint, reference = "", None, None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        inner = body["error"]
        message = str(inner.get("message") or inner.get("title") or "")
        hint = inner.get("hint") or None
        reference = inner.get("reference") or None
    elif isinstance(body, dict) and "detail" in body:
        message = str(body["detail"])
    if not message:
        message = text.strip()[:300] or f"HTTP {status}"
    exc = cls(f"{message} (HTTP {status})", hint=hint or _DEFAULT_HINTS.get(cls),
              reference=reference)
    exc.status = status
    exc.url = url
    return exc
