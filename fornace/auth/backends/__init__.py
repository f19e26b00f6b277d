"""Token validation backends. Each turns request headers into a RequestContext."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from fornace.auth.context import RequestContext


class AuthBackend(Protocol):
    def authenticate(self, headers: Mapping[str, str], request_id: str) -> RequestContext:
        """Return the caller's context or raise fornace.errors.NotAuthenticated."""
