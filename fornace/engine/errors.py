"""Errors of the deployment engine."""

from __future__ import annotations

from fornace.errors import FornaceError, NotFound


class EngineError(FornaceError):
    """Something the engine could not do with a task."""


class NoPackageFound(NotFound):
    """No visible package satisfies a Require or classVersion spec (Murano's name)."""

    murano_name = "NoPackageFound"
