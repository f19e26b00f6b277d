"""A typed Python client of the Fornace / Murano API v1 (used by the CLI and the dashboard).

Imports only httpx: no server modules are loaded.
"""

from fornace.client._http import DEFAULT_URL
from fornace.client.client import FornaceClient
from fornace.client.errors import (
    APIConnectionError,
    ClientConflict,
    ClientError,
    ClientForbidden,
    ClientInvalidInput,
    ClientNotAuthenticated,
    ClientNotFound,
    ClientServiceUnavailable,
)

__all__ = [
    "DEFAULT_URL",
    "APIConnectionError",
    "ClientConflict",
    "ClientError",
    "ClientForbidden",
    "ClientInvalidInput",
    "ClientNotAuthenticated",
    "ClientNotFound",
    "ClientServiceUnavailable",
    "FornaceClient",
]
