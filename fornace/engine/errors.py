"""Errors of the deployment engine."""

from __future__ import annotations

from fornace.errors import FornaceError


class EngineError(FornaceError):
    """A request (static action, schema) the engine could not serve; ``reference``
    says why (``not-found``, ``invalid-input``, ``muranopl-error``)."""
