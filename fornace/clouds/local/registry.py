"""Resource type name -> handler, and the checks against the host at planning time."""

from __future__ import annotations

from typing import Any

from fornace.clouds.errors import UnknownResourceType
from fornace.clouds.local.cinder import VolumeAttachmentHandler, VolumeHandler
from fornace.clouds.local.context import FLOATING_IP_ASSOCIATION
from fornace.clouds.local.handler import Handler, known
from fornace.clouds.local.heatconfig import ConfigHandler
from fornace.clouds.local.neutron import (
    FloatingIpHandler,
    NetHandler,
    PortHandler,
    SecurityGroupHandler,
    SubnetHandler,
)
from fornace.clouds.local.server import ServerHandler


class NoOpHandler(Handler):
    """Accepted and remembered, nothing to do on one host (routers)."""

    def __init__(self, type_name: str, properties: set[str]) -> None:
        self.type_name = type_name
        self.properties = frozenset(properties)
        self.updatable = self.properties


NO_OP = {
    "OS::Neutron::Router": {
        "name",
        "admin_state_up",
        "external_gateway_info",
        "distributed",
        "ha",
        "l3_agent_ids",
        "value_specs",
        "tags",
    },
    "OS::Neutron::RouterInterface": {
        "router",
        "router_id",
        "subnet",
        "subnet_id",
        "port",
        "port_id",
    },
    "OS::Neutron::RouterGateway": {"router_id", "network_id", "network"},
    FLOATING_IP_ASSOCIATION: {"floatingip_id", "port_id", "fixed_ip_address"},
    "OS::Nova::ServerGroup": {"name", "policies", "policy", "rules"},
}
CONFIGS = {
    "OS::Heat::SoftwareConfig": {"config", "group", "inputs", "outputs", "options"},
    "OS::Heat::CloudConfig": {"cloud_config"},
    "OS::Heat::MultipartMime": {"parts", "group"},
}


HANDLERS: dict[str, Handler] = {
    h.type_name: h
    for h in (
        NetHandler(),
        SubnetHandler(),
        PortHandler(),
        SecurityGroupHandler(),
        FloatingIpHandler(),
        VolumeHandler(),
        VolumeAttachmentHandler(),
        ServerHandler(),
        *(NoOpHandler(t, p) for t, p in NO_OP.items()),
        *(ConfigHandler(t, p) for t, p in CONFIGS.items()),
    )
}


def handler_for(type_name: str, where: str) -> Handler:
    handler = HANDLERS.get(type_name)
    if handler is None:
        raise UnknownResourceType(
            f"{where}: the local cloud does not support resource type {type_name!r}.",
            hint=f"Supported types: {', '.join(sorted(HANDLERS))}.",
        )
    return handler


def host_check(handler: Handler, where: str, props: dict[str, Any]) -> None:
    """Checks against the host (cidr overlaps) for resources about to be created."""
    if isinstance(handler, SubnetHandler) and known(props.get("cidr")):
        handler.check_host(where, props)
