"""Cloud drivers behind the HeatStack seam (:mod:`fornace.clouds.base`)."""

from __future__ import annotations

from fornace.clouds.base import CloudDriver, ResourceDescription, StackDescription, StackStatus
from fornace.clouds.errors import (
    CloudError,
    HostNotReady,
    ResourceFailed,
    StackBusy,
    StackNotFound,
    TemplateInvalid,
    UnknownResourceType,
)

__all__ = [
    "CloudDriver",
    "CloudError",
    "HostNotReady",
    "ResourceDescription",
    "ResourceFailed",
    "StackBusy",
    "StackDescription",
    "StackNotFound",
    "StackStatus",
    "TemplateInvalid",
    "UnknownResourceType",
]
