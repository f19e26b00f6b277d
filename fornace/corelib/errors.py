"""Errors the system classes raise into MuranoPL, under Murano's Python names.

``murano_name`` is what MuranoPL's ``Catch: With:`` matches; ``extra`` lands in
the ``io.murano.Exception`` object's ``extra`` property.
"""

from __future__ import annotations

from typing import Any

from fornace.errors import FornaceError


class CoreLibraryError(FornaceError):
    reference = "corelib-error"
    murano_name = "murano.engine.system.CoreLibraryError"


class AgentException(CoreLibraryError):
    """The agent ran a plan and reported a failure (Murano's error dict in ``extra``)."""

    reference = "agent-exception"
    murano_name = "murano.engine.system.agent.AgentException"

    def __init__(self, info: dict[str, Any]) -> None:
        message = info.get("message") or "execution plan failed"
        details = info.get("details")
        if isinstance(details, dict):
            output = "\n".join(str(details[k]) for k in ("stdout", "stderr") if details.get(k))
            if output:
                message = f"{message}\n{output}"
        super().__init__(str(message))
        self.extra = dict(info)


class TimeoutException(CoreLibraryError):
    reference = "agent-timeout"
    murano_name = "murano.common.exceptions.TimeoutException"


class PolicyViolationException(CoreLibraryError):
    reference = "policy-violation"
    murano_name = "murano.common.exceptions.PolicyViolationException"


class StackError(CoreLibraryError):
    """Heat (the cloud driver) refused or failed a stack operation."""

    reference = "stack-error"
    murano_name = "murano.engine.system.heat_stack.HeatStackError"


class NeedsOpenStack(CoreLibraryError):
    """A core-library feature that only a real OpenStack cloud provides."""

    reference = "needs-openstack"
    murano_name = "murano.engine.system.NeedsOpenStack"

    def __init__(self, feature: str) -> None:
        super().__init__(
            f"{feature} needs OpenStack; this deployment runs without it",
            hint="Configure an OpenStack cloud driver for the engine, or change the "
                 "application so that it does not use this feature.")


class ResourceNotFound(CoreLibraryError):
    reference = "resource-not-found"
    murano_name = "io.murano.system.Resources.NotFound"
