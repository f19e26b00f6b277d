"""Errors of the cloud drivers.

    CloudError (FornaceError)          base; ``cause`` names what failed underneath
     +-- TemplateInvalid (InvalidInput)    the Heat template or its parameters are wrong
     |    +-- UnknownResourceType          a resource type the driver does not implement
     +-- StackNotFound (NotFound)          no stack of that name
     +-- StackBusy (Conflict)              another operation holds the stack
     +-- ResourceFailed                    a resource could not be created, changed or deleted
     +-- HostNotReady (ConfigurationError) the host lacks a tool, a right or a kernel feature

Every error carries a ``hint`` telling the operator what to do.
"""

from __future__ import annotations

from fornace.errors import ConfigurationError, Conflict, FornaceError, InvalidInput, NotFound


class CloudError(FornaceError):
    reference = "cloud-error"

    def __init__(
        self,
        message: str,
        *,
        cause: str | None = None,
        hint: str | None = None,
        reference: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint, reference=reference)
        self.cause = cause

    def __str__(self) -> str:
        if self.cause:
            return f"{self.message} (cause: {self.cause})"
        return self.message


class TemplateInvalid(CloudError, InvalidInput):
    reference = "template-invalid"


class UnknownResourceType(TemplateInvalid):
    reference = "unknown-resource-type"


class StackNotFound(CloudError, NotFound):
    reference = "stack-not-found"


class StackBusy(CloudError, Conflict):
    reference = "stack-busy"


class ResourceFailed(CloudError):
    reference = "resource-failed"


class HostNotReady(CloudError, ConfigurationError):
    reference = "host-not-ready"
