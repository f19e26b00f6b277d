"""The root of Fornace's error tree.

Every error Fornace raises on purpose derives from :class:`FornaceError`.
Components subclass the categories below in their own ``errors.py``; only the
edges (the API, the CLI, the engine) turn a category into an HTTP status, an
exit code or a deployment report.

    FornaceError
     +-- InvalidInput          the caller sent something malformed (HTTP 400)
     +-- NotAuthenticated      no or bad credentials (HTTP 401)
     +-- Forbidden             credentials fine, action not allowed (HTTP 403)
     +-- NotFound              the thing named does not exist or is not visible (HTTP 404)
     +-- Conflict              the request clashes with the current state (HTTP 409)
     +-- Unsupported           a media type or format Fornace does not speak (HTTP 415)
     +-- ServiceUnavailable    a dependency (DB, bus, engine) is down (HTTP 503)
     +-- ConfigurationError    the operator's settings are wrong or incomplete
"""

from __future__ import annotations


class FornaceError(Exception):
    """Base class. ``reference`` is a stable kebab-case id; ``hint`` tells how to fix it."""

    reference: str = "fornace-error"

    def __init__(self, message: str, *, hint: str | None = None, reference: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if reference is not None:
            self.reference = reference

    def __str__(self) -> str:
        return self.message


class InvalidInput(FornaceError):
    reference = "invalid-input"


class NotAuthenticated(FornaceError):
    reference = "not-authenticated"


class Forbidden(FornaceError):
    reference = "forbidden"


class NotFound(FornaceError):
    reference = "not-found"


class Conflict(FornaceError):
    reference = "conflict"


class Unsupported(FornaceError):
    reference = "unsupported"


class ServiceUnavailable(FornaceError):
    reference = "service-unavailable"


class ConfigurationError(FornaceError):
    reference = "configuration-error"
