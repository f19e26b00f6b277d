"""Neutron resources: networks (bridges), subnets (gateway addresses), ports,
security groups and floating IPs."""

from __future__ import annotations

import ipaddress
import secrets
from typing import Any

from fornace.clouds.errors import ResourceFailed
from fornace.clouds.local import network
from fornace.clouds.local.context import (
    FLOATING_IP,
    FLOATING_IP_ASSOCIATION,
    NETWORK,
    PORT,
    SECURITY_GROUP,
    SUBNET,
    Context,
    display_name,
)
from fornace.clouds.local.handler import Handler, bad, known


class NetHandler(Handler):
    type_name = NETWORK
    properties = frozenset(
        {
            "name",
            "admin_state_up",
            "shared",
            "port_security_enabled",
            "dns_domain",
            "value_specs",
            "tenant_id",
            "qos_policy",
            "tags",
            "mtu",
        }
    )
    updatable = properties

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        bridge = f"{ctx.state.bridge_prefix}{secrets.token_hex(3)}"
        with ctx.state.host_lock():
            network.create_bridge(bridge)
        return {"bridge": bridge}

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        bridge = (rec.get("data") or {}).get("bridge")
        if bridge:
            network.delete_link(bridge)

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": display_name(rec),
            "status": "ACTIVE",
            "admin_state_up": True,
            "subnets": [s["id"] for s in ctx.subnets_of(rec["id"])],
            "mtu": 1500,
        }


class SubnetHandler(Handler):
    type_name = SUBNET
    properties = frozenset(
        {
            "network",
            "network_id",
            "cidr",
            "ip_version",
            "gateway_ip",
            "name",
            "dns_nameservers",
            "enable_dhcp",
            "allocation_pools",
            "host_routes",
            "tenant_id",
            "value_specs",
            "subnetpool",
            "prefixlen",
            "tags",
        }
    )
    required = frozenset({"cidr"})
    updatable = frozenset(
        {
            "name",
            "dns_nameservers",
            "enable_dhcp",
            "allocation_pools",
            "host_routes",
            "value_specs",
            "tags",
        }
    )

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        check_network_ref(ctx, where, required_network(where, props, SUBNET))
        if props.get("ip_version", 4) not in (4, "4"):
            raise bad(where, "only ip_version 4 is supported by the local cloud.")
        if known(props["cidr"]):
            net = network.parse_cidr(props["cidr"], where)
            gateway = props.get("gateway_ip")
            if known(gateway) and gateway != "":
                try:
                    gw = ipaddress.ip_address(str(gateway))
                except ValueError as exc:
                    raise bad(where, f"gateway_ip {gateway!r} is not an address.") from exc
                if gw not in net:
                    raise bad(where, f"gateway_ip {gateway} is outside {net}.")

    def check_host(self, where: str, props: dict[str, Any]) -> None:
        network.check_free(network.parse_cidr(props["cidr"], where), where)

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        net_rec = ctx.find(network_of(props), NETWORK)
        if net_rec is None:
            raise ResourceFailed(f"Subnet {name}: its network is gone.")
        cidr = network.parse_cidr(props["cidr"], name)
        gateway = props.get("gateway_ip") or str(next(cidr.hosts()))
        bridge = net_rec["data"]["bridge"]
        with ctx.state.host_lock():
            network.check_free(cidr, name)
            network.add_gateway(bridge, gateway, cidr.prefixlen)
        return {
            "network_id": net_rec["id"],
            "bridge": bridge,
            "cidr": str(cidr),
            "gateway": gateway,
            "prefixlen": cidr.prefixlen,
        }

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        data = rec.get("data") or {}
        if data.get("bridge"):
            network.remove_gateway(data["bridge"], data["gateway"], data["prefixlen"])
        with ctx.state.host_lock():
            network.AddressPool(ctx.state).release_subnet(rec["id"])

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        data = rec.get("data") or {}
        return {
            "name": display_name(rec),
            "cidr": data.get("cidr"),
            "ip_version": 4,
            "gateway_ip": data.get("gateway"),
            "network_id": data.get("network_id"),
            "enable_dhcp": True,
        }


def mac() -> str:
    return "fa:16:3e:" + ":".join(secrets.token_hex(1) for _ in range(3))


def allocate_address(
    ctx: Context, where: str, net_ref: Any, subnet_ref: Any, ip: Any, owner: str
) -> dict[str, Any]:
    """Allocate an address on a network (or a given subnet) for ``owner``."""
    subnet = ctx.find(subnet_ref, SUBNET) if subnet_ref else None
    if subnet is None:
        net = ctx.find(net_ref, NETWORK)
        if net is None:
            raise ResourceFailed(f"{where}: network {net_ref!r} does not exist.")
        subnets = ctx.subnets_of(net["id"])
        if not subnets:
            raise ResourceFailed(
                f"{where}: network {display_name(net)} has no subnet.",
                hint="Add an OS::Neutron::Subnet with a cidr to the network.",
            )
        subnet = subnets[0]
    sdata = subnet["data"]
    with ctx.state.host_lock():
        address = network.AddressPool(ctx.state).allocate(
            subnet["id"], sdata["cidr"], sdata["gateway"], owner, ip or None
        )
    net = ctx.by_id(sdata["network_id"], NETWORK)
    return {
        "ip": address,
        "subnet_id": subnet["id"],
        "network_id": sdata["network_id"],
        "network_name": display_name(net) if net else "",
        "bridge": sdata["bridge"],
        "prefixlen": sdata["prefixlen"],
        "gateway": sdata["gateway"],
    }


def network_of(props: dict[str, Any]) -> Any:
    """The network a subnet or port names (``network``, or Heat's older ``network_id``)."""
    return props.get("network", props.get("network_id"))


def required_network(where: str, props: dict[str, Any], type_name: str) -> Any:
    ref = network_of(props)
    if ref is None:
        raise bad(where, f"property network is required for {type_name}.")
    return ref


def check_network_ref(ctx: Context, where: str, ref: Any) -> None:
    if known(ref) and ctx.find(ref, NETWORK) is None:
        raise bad(
            where,
            f"network {ref!r} does not exist.",
            "Name a network of the template (get_resource) or an existing one.",
        )


class PortHandler(Handler):
    type_name = PORT
    properties = frozenset(
        {
            "network",
            "network_id",
            "fixed_ips",
            "security_groups",
            "name",
            "mac_address",
            "port_security_enabled",
            "replacement_policy",
            "allowed_address_pairs",
            "admin_state_up",
            "device_id",
            "device_owner",
            "value_specs",
            "binding:vnic_type",
            "qos_policy",
            "tags",
            "dns_name",
        }
    )
    updatable = frozenset(
        {
            "security_groups",
            "name",
            "port_security_enabled",
            "replacement_policy",
            "allowed_address_pairs",
            "admin_state_up",
            "device_id",
            "device_owner",
            "value_specs",
            "tags",
            "dns_name",
        }
    )

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        check_network_ref(ctx, where, required_network(where, props, PORT))
        check_groups(ctx, where, props.get("security_groups"))

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        fixed = (props.get("fixed_ips") or [{}])[0] or {}
        data = allocate_address(
            ctx,
            name,
            network_of(props),
            fixed.get("subnet", fixed.get("subnet_id")),
            fixed.get("ip_address"),
            rid,
        )
        data["mac"] = props.get("mac_address") or mac()
        return data

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        with ctx.state.host_lock():
            network.AddressPool(ctx.state).release(rec["id"])

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        data = rec.get("data") or {}
        return {
            "name": display_name(rec),
            "status": "ACTIVE",
            "mac_address": data.get("mac"),
            "network_id": data.get("network_id"),
            "fixed_ips": [{"ip_address": data.get("ip"), "subnet_id": data.get("subnet_id")}],
        }


def check_groups(ctx: Context, where: str, groups: Any) -> None:
    if groups is None or not known(groups):
        return
    if not isinstance(groups, list):
        raise bad(where, "security_groups must be a list.")
    for group in groups:
        if known(group) and group != "default" and ctx.find(group, SECURITY_GROUP) is None:
            raise bad(where, f"security group {group!r} does not exist.")


class SecurityGroupHandler(Handler):
    type_name = SECURITY_GROUP
    properties = frozenset({"name", "description", "rules", "tags"})
    updatable = properties
    RULE_KEYS = frozenset(
        {
            "direction",
            "ethertype",
            "port_range_min",
            "port_range_max",
            "protocol",
            "remote_ip_prefix",
            "remote_group_id",
            "remote_mode",
        }
    )

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        rules = props.get("rules") or []
        if not known(rules):
            return
        if not isinstance(rules, list):
            raise bad(where, "rules must be a list.")
        for rule in rules:
            if not isinstance(rule, dict):
                raise bad(where, "each rule must be a mapping.")
            extra = sorted(set(rule) - self.RULE_KEYS)
            if extra:
                raise bad(where, f"unknown rule key(s) {', '.join(extra)}.")
            if rule.get("direction", "ingress") not in ("ingress", "egress"):
                raise bad(where, f"direction {rule.get('direction')!r} is not ingress or egress.")
            if rule.get("remote_ip_prefix"):
                try:
                    ipaddress.ip_network(str(rule["remote_ip_prefix"]), strict=False)
                except ValueError as exc:
                    raise bad(
                        where, f"remote_ip_prefix {rule['remote_ip_prefix']!r} is not a CIDR."
                    ) from exc

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"name": display_name(rec), "rules": rec.get("properties", {}).get("rules", [])}


class FloatingIpHandler(Handler):
    """A floating IP maps to the fixed address of its port, which the host reaches."""

    type_name = FLOATING_IP
    properties = frozenset(
        {
            "floating_network",
            "floating_network_id",
            "port_id",
            "fixed_ip_address",
            "floating_ip_address",
            "value_specs",
            "dns_name",
            "dns_domain",
            "floating_subnet",
        }
    )
    updatable = properties

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        port_id = rec.get("properties", {}).get("port_id")
        if port_id is None:
            for other in ctx.records.values():
                if (
                    other.get("type") == FLOATING_IP_ASSOCIATION
                    and other.get("properties", {}).get("floatingip_id") == rec["id"]
                ):
                    port_id = other["properties"].get("port_id")
        port = ctx.by_id(port_id, PORT)
        address = (port.get("data") or {}).get("ip") if port else None
        return {
            "floating_ip_address": address,
            "fixed_ip_address": address,
            "port_id": port_id,
            "floating_network_id": rec.get("properties", {}).get("floating_network"),
        }
