"""The only module of the API that knows HTTP status codes.

Error bodies are JSON on every route. Their shape keeps every top-level value
an object, so python-muranoclient (which collects ``message`` from each
top-level value) shows the message:

    {"error": {"message": "...", "code": 404, "title": "Not Found",
               "reference": "not-found", "hint": "..."}}
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

from fornace import errors


class NotAcceptable(errors.FornaceError):
    """The Accept header excludes the only media type a route offers (HTTP 406)."""

    reference = "not-acceptable"


HTTP_STATUS: dict[type[errors.FornaceError], int] = {
    NotAcceptable: 406,
    errors.InvalidInput: 400,
    errors.NotAuthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Unsupported: 415,
    errors.ServiceUnavailable: 503,
    errors.ConfigurationError: 500,
}


# An engine's error reply (fornace.bus.RemoteError) by its reference (murano-api.md §7.4).
REMOTE_STATUS: dict[str, int] = {"not-found": 404, "invalid-input": 400}


def status_for(exc: errors.FornaceError) -> int:
    """The most specific registered class in the exception's MRO wins."""
    from fornace.bus.errors import RemoteError

    if isinstance(exc, RemoteError):
        return REMOTE_STATUS.get(exc.reference, 503)
    return next((HTTP_STATUS[c] for c in type(exc).__mro__ if c in HTTP_STATUS), 500)


def error_body(code: int, message: str, *, reference: str | None = None,
               hint: str | None = None) -> dict[str, Any]:
    inner: dict[str, Any] = {"message": message, "code": code, "title": HTTPStatus(code).phrase}
    if reference:
        inner["reference"] = reference
    if hint:
        inner["hint"] = hint
    return {"error": inner}


def error_response(code: int, message: str, *, reference: str | None = None,
                   hint: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, reference=reference, hint=hint),
                        status_code=code, headers=headers)


def response_for(exc: errors.FornaceError) -> JSONResponse:
    code = status_for(exc)
    headers = {"WWW-Authenticate": "Keystone uri=''"} if code == 401 else None
    return error_response(code, exc.message, reference=exc.reference, hint=exc.hint,
                          headers=headers)
