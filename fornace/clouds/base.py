"""The HeatStack seam: what the engine asks of a cloud.

A driver takes a Heat template (as a dict), makes the cloud match it and
returns the stack's outputs, the way ``io.murano.system.HeatStack`` talks to
Heat. ``push`` is idempotent: pushing the same template twice changes
nothing. Drivers: ``fornace.clouds.local`` (instances on this host) and, later,
one that sends the template to a real Heat.

The listing methods return plain dicts in the shapes Nova, Neutron and Glance
answer with, so that UI fields (flavor, image, keypair, availability zone,
network) can fill their choices from any driver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable


class StackStatus(StrEnum):
    """Heat's ``stack_status`` values a driver reports."""

    NOT_FOUND = "NOT_FOUND"
    CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
    CREATE_COMPLETE = "CREATE_COMPLETE"
    CREATE_FAILED = "CREATE_FAILED"
    UPDATE_IN_PROGRESS = "UPDATE_IN_PROGRESS"
    UPDATE_COMPLETE = "UPDATE_COMPLETE"
    UPDATE_FAILED = "UPDATE_FAILED"
    DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"
    DELETE_FAILED = "DELETE_FAILED"


@dataclass(frozen=True)
class ResourceDescription:
    """One resource of a stack (Heat's ``resource_name``, ``resource_type`` ...)."""

    name: str
    type: str
    physical_id: str
    status: str
    status_reason: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StackDescription:
    name: str
    id: str
    status: StackStatus
    status_reason: str
    resources: tuple[ResourceDescription, ...]
    outputs: dict[str, Any]
    template: dict[str, Any]
    parameters: dict[str, Any]


@runtime_checkable
class CloudDriver(Protocol):
    """A cloud seen through Heat. All methods are synchronous and thread-safe."""

    def push(
        self,
        stack_name: str,
        template: dict[str, Any],
        parameters: dict[str, Any] | None = None,
        files: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Create or update ``stack_name`` to match ``template``; return its outputs.

        A template without resources deletes the stack (as Murano's HeatStack
        does) and returns ``{}``. Raises TemplateInvalid before touching
        anything when the template is wrong, ResourceFailed when the cloud
        could not do its part (the stack is then left ``*_FAILED``).
        """
        ...

    def outputs(self, stack_name: str) -> dict[str, Any]:
        """``{output_key: value}`` of the stack; ``{}`` when it does not exist."""
        ...

    def delete(self, stack_name: str) -> None:
        """Delete the stack and everything it made; no error when it does not exist."""
        ...

    def describe(self, stack_name: str) -> StackDescription:
        """Status, resources and outputs; StackNotFound when absent."""
        ...

    def list_stacks(self) -> list[str]: ...

    def list_flavors(self) -> list[dict[str, Any]]:
        """Nova flavors: ``{id, name, vcpus, ram (MiB), disk (GiB), ...}``."""
        ...

    def list_images(self) -> list[dict[str, Any]]:
        """Glance images: ``{id, name, status, murano_image_info?...}``."""
        ...

    def list_networks(self) -> list[dict[str, Any]]:
        """Neutron networks: ``{id, name, status, subnets: [...], ...}``."""
        ...

    def list_subnets(self) -> list[dict[str, Any]]:
        """Neutron subnets: ``{id, name, network_id, cidr, gateway_ip, ip_version}``."""
        ...

    def list_keypairs(self) -> list[dict[str, Any]]:
        """Nova keypairs: ``{name, fingerprint, public_key}``."""
        ...

    def list_availability_zones(self) -> list[dict[str, Any]]:
        """Nova zones: ``{zoneName, zoneState: {available}}``."""
        ...
