"""FornaceClient: one object for the whole Murano API v1."""

from __future__ import annotations

from typing import Any

import httpx

from fornace.client._catalog import CatalogAPI
from fornace.client._environments import EnvironmentsAPI
from fornace.client._http import DEFAULT_URL, Transport
from fornace.client._templates import TemplatesAPI
from fornace.client.errors import ClientNotFound


class FornaceClient(EnvironmentsAPI, CatalogAPI, TemplatesAPI):
    """A client of a Fornace (or Murano) API server.

    ``url`` is the server root without ``/v1``; ``token`` goes in ``X-Auth-Token``.
    Every method raises a :mod:`fornace.client.errors` error on failure.
    """

    def __init__(self, url: str = DEFAULT_URL, token: str | None = None, *,
                 timeout: float = 60.0, http: httpx.Client | None = None) -> None:
        self._t = Transport(url, token, timeout=timeout, http=http)

    @property
    def url(self) -> str:
        return self._t.url

    def close(self) -> None:
        self._t.close()

    def __enter__(self) -> FornaceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find_environment(self, name_or_id: str) -> dict[str, Any]:
        """An environment by id, else by unique name (as murano's CLI resolves them)."""
        try:
            return self.get_environment(name_or_id)
        except ClientNotFound:
            pass
        matches = [e for e in self.list_environments() if e.get("name") == name_or_id]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ClientNotFound(f"No environment with a name or id of '{name_or_id}' exists",
                                 hint="list them with 'fornace environment-list'",
                                 reference="environment-not-found")
        from fornace.client.errors import ClientConflict

        raise ClientConflict(f"Multiple environments are named '{name_or_id}'",
                             hint="use the environment's id", reference="ambiguous-name")
