"""What a resource handler may look at while a stack is reconciled."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fornace.clouds.local.state import CloudState
from fornace.clouds.local.template import UNKNOWN

NETWORK = "OS::Neutron::Net"
SUBNET = "OS::Neutron::Subnet"
PORT = "OS::Neutron::Port"
SERVER = "OS::Nova::Server"
SECURITY_GROUP = "OS::Neutron::SecurityGroup"
VOLUME = "OS::Cinder::Volume"
FLOATING_IP = "OS::Neutron::FloatingIP"
FLOATING_IP_ASSOCIATION = "OS::Neutron::FloatingIPAssociation"
CONFIG_TYPES = ("OS::Heat::SoftwareConfig", "OS::Heat::CloudConfig", "OS::Heat::MultipartMime")


@dataclass
class Options:
    """Driver options. ``bind_mounts``: (host path, path inside, read-only) per instance."""

    bind_mounts: tuple[tuple[str, str, bool], ...] = ()
    max_parallel: int = 16


@dataclass
class Context:
    state: CloudState
    options: Options
    stack: str
    # this stack: name -> record {type, id, properties, data, ...}
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    # records of the other stacks of this cloud (read-only)
    others: list[dict[str, Any]] = field(default_factory=list)

    def all_records(self) -> list[dict[str, Any]]:
        return [*self.records.values(), *self.others]

    def by_id(self, rid: Any, *types: str) -> dict[str, Any] | None:
        if rid is None or rid is UNKNOWN:
            return None
        for rec in self.all_records():
            if rec.get("id") == rid and (not types or rec.get("type") in types):
                return rec
        return None

    def find(self, ref: Any, *types: str) -> dict[str, Any] | None:
        """A record by id, else by its ``name`` (Neutron accepts either)."""
        found = self.by_id(ref, *types)
        if found is not None or not isinstance(ref, str):
            return found
        for rec in self.all_records():
            if rec.get("type") in types and display_name(rec) == ref:
                return rec
        return None

    def subnets_of(self, network_id: str) -> list[dict[str, Any]]:
        return sorted(
            (
                r
                for r in self.all_records()
                if r.get("type") == SUBNET and r.get("data", {}).get("network_id") == network_id
            ),
            key=lambda r: str(r.get("name")),
        )


def display_name(rec: dict[str, Any]) -> str:
    """The name a user sees: the ``name`` property, else ``<stack>-<resource>``."""
    name = rec.get("properties", {}).get("name")
    if isinstance(name, str) and name:
        return name
    return f"{rec.get('stack')}-{rec.get('name')}"
