"""Resource types of the local cloud: what each one checks, makes and removes.

A handler works on resolved properties (intrinsic functions evaluated). At
planning time values that come from resources not yet created are UNKNOWN;
``check`` must accept them. ``create`` returns the record's ``data``;
``attributes`` answers ``get_attr``.
"""

from __future__ import annotations

import email.mime.multipart
import email.mime.text
import ipaddress
import logging
import secrets
from typing import Any

import yaml

from fornace.clouds.errors import ResourceFailed, TemplateInvalid, UnknownResourceType
from fornace.clouds.local import catalog, host, instance, network, userdata
from fornace.clouds.local.context import (
    CONFIG_TYPES,
    FLOATING_IP,
    FLOATING_IP_ASSOCIATION,
    NETWORK,
    PORT,
    SECURITY_GROUP,
    SERVER,
    SUBNET,
    VOLUME,
    Context,
    display_name,
)
from fornace.clouds.local.template import UNKNOWN, contains_unknown

log = logging.getLogger(__name__)


def _bad(where: str, message: str, hint: str | None = None) -> TemplateInvalid:
    return TemplateInvalid(
        f"{where}: {message}", hint=hint or "Fix the Heat template and push again."
    )


def _known(value: Any) -> bool:
    return value is not None and not contains_unknown(value)


class Handler:
    type_name = ""
    properties: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    # Properties that can change in place; a change to any other replaces the resource.
    updatable: frozenset[str] = frozenset()

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        unknown = sorted(set(props) - self.properties)
        if unknown:
            raise _bad(
                where,
                f"unknown propert{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(unknown)} for {self.type_name}.",
            )
        for name in sorted(self.required):
            if props.get(name) is None:
                raise _bad(where, f"property {name} is required for {self.type_name}.")

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        return {}

    def update(self, ctx: Context, rec: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
        return dict(rec.get("data") or {})

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        return None

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"name": display_name(rec)}

    def static(self, rec: dict[str, Any]) -> bool:
        """True when the attributes are known before the resource exists."""
        return False

    def healthy(self, rec: dict[str, Any]) -> bool:
        """False when the resource is recorded but no longer works (then it is replaced)."""
        return True


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
        ref = props.get("network", props.get("network_id"))
        if ref is None:
            raise _bad(where, "property network is required for OS::Neutron::Subnet.")
        if _known(ref) and ctx.find(ref, NETWORK) is None:
            raise _bad(where, f"network {ref!r} does not exist.")
        if props.get("ip_version", 4) not in (4, "4"):
            raise _bad(where, "only ip_version 4 is supported by the local cloud.")
        if _known(props["cidr"]):
            net = network.parse_cidr(props["cidr"], where)
            gateway = props.get("gateway_ip")
            if _known(gateway) and gateway != "":
                try:
                    gw = ipaddress.ip_address(str(gateway))
                except ValueError as exc:
                    raise _bad(where, f"gateway_ip {gateway!r} is not an address.") from exc
                if gw not in net:
                    raise _bad(where, f"gateway_ip {gateway} is outside {net}.")

    def check_host(self, where: str, props: dict[str, Any]) -> None:
        network.check_free(network.parse_cidr(props["cidr"], where), where)

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        net_rec = ctx.find(props.get("network", props.get("network_id")), NETWORK)
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


def _mac() -> str:
    return "fa:16:3e:" + ":".join(secrets.token_hex(1) for _ in range(3))


def _address(
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


def _check_network_ref(ctx: Context, where: str, ref: Any) -> None:
    if _known(ref) and ctx.find(ref, NETWORK) is None:
        raise _bad(
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
        ref = props.get("network", props.get("network_id"))
        if ref is None:
            raise _bad(where, "property network is required for OS::Neutron::Port.")
        _check_network_ref(ctx, where, ref)
        _check_groups(ctx, where, props.get("security_groups"))

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        fixed = (props.get("fixed_ips") or [{}])[0] or {}
        data = _address(
            ctx,
            name,
            props.get("network", props.get("network_id")),
            fixed.get("subnet", fixed.get("subnet_id")),
            fixed.get("ip_address"),
            rid,
        )
        data["mac"] = props.get("mac_address") or _mac()
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


def _check_groups(ctx: Context, where: str, groups: Any) -> None:
    if groups is None or not _known(groups):
        return
    if not isinstance(groups, list):
        raise _bad(where, "security_groups must be a list.")
    for group in groups:
        if _known(group) and group != "default" and ctx.find(group, SECURITY_GROUP) is None:
            raise _bad(where, f"security group {group!r} does not exist.")


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
        if not _known(rules):
            return
        if not isinstance(rules, list):
            raise _bad(where, "rules must be a list.")
        for rule in rules:
            if not isinstance(rule, dict):
                raise _bad(where, "each rule must be a mapping.")
            extra = sorted(set(rule) - self.RULE_KEYS)
            if extra:
                raise _bad(where, f"unknown rule key(s) {', '.join(extra)}.")
            if rule.get("direction", "ingress") not in ("ingress", "egress"):
                raise _bad(where, f"direction {rule.get('direction')!r} is not ingress or egress.")
            if rule.get("remote_ip_prefix"):
                try:
                    ipaddress.ip_network(str(rule["remote_ip_prefix"]), strict=False)
                except ValueError as exc:
                    raise _bad(
                        where, f"remote_ip_prefix {rule['remote_ip_prefix']!r} is not a CIDR."
                    ) from exc

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"name": display_name(rec), "rules": rec.get("properties", {}).get("rules", [])}


class NoOpHandler(Handler):
    """Accepted and remembered, nothing to do on one host (routers)."""

    def __init__(self, type_name: str, properties: set[str]) -> None:
        self.type_name = type_name
        self.properties = frozenset(properties)
        self.updatable = self.properties


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


class ConfigHandler(Handler):
    """OS::Heat::SoftwareConfig / CloudConfig / MultipartMime: user data pieces."""

    def __init__(self, type_name: str, properties: set[str]) -> None:
        self.type_name = type_name
        self.properties = frozenset(properties)

    def static(self, rec: dict[str, Any]) -> bool:
        return True

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"config": config_text(ctx, rec)}


def config_text(ctx: Context, rec: dict[str, Any]) -> Any:
    props = rec.get("properties") or {}
    kind = rec.get("type")
    if kind == "OS::Heat::SoftwareConfig":
        return props.get("config") or ""
    if kind == "OS::Heat::CloudConfig":
        body = props.get("cloud_config") or {}
        if contains_unknown(body):
            return UNKNOWN
        return "#cloud-config\n" + yaml.safe_dump(body, default_flow_style=False)
    message = email.mime.multipart.MIMEMultipart()
    for part in props.get("parts") or []:
        config = part.get("config")
        source = ctx.by_id(config, *CONFIG_TYPES)
        text = config_text(ctx, source) if source is not None else config
        if text is UNKNOWN or contains_unknown(text):
            return UNKNOWN
        subtype = part.get("subtype") or (
            "cloud-config" if str(text).startswith("#cloud-config") else "x-shellscript"
        )
        piece = email.mime.text.MIMEText(str(text), subtype, "utf-8")
        if part.get("filename"):
            piece.add_header("Content-Disposition", "attachment", filename=part["filename"])
        message.attach(piece)
    return message.as_string()


class VolumeHandler(Handler):
    """A volume is a folder under the cloud's data dir; size is recorded, not enforced."""

    type_name = VOLUME
    properties = frozenset(
        {
            "size",
            "name",
            "description",
            "image",
            "imageRef",
            "metadata",
            "availability_zone",
            "read_only",
            "volume_type",
            "source_volid",
            "snapshot_id",
            "backup_id",
            "multiattach",
            "scheduler_hints",
        }
    )
    required = frozenset({"size"})
    updatable = frozenset({"name", "description", "metadata", "read_only", "size"})

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        size = props.get("size")
        if _known(size) and (not isinstance(size, int) or isinstance(size, bool) or size < 1):
            raise _bad(where, f"size must be a whole number of GiB, at least 1 (got {size!r}).")

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        short = ctx.state.new_short(set())
        folder = ctx.state.volume_dir(short)
        folder.mkdir(parents=True)
        (folder.parent / f"{short}.owner").write_text(f"{ctx.stack}\n")
        return {"short": short, "path": str(folder)}

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        import shutil

        data = rec.get("data") or {}
        if data.get("short"):
            folder = ctx.state.volume_dir(data["short"])
            shutil.rmtree(folder, ignore_errors=True)
            (folder.parent / f"{data['short']}.owner").unlink(missing_ok=True)

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        attachments = [
            {
                "server_id": a["properties"].get("instance_uuid"),
                "volume_id": rec["id"],
                "device": a["properties"].get("mountpoint"),
                "id": a["id"],
            }
            for a in ctx.records.values()
            if a.get("type") == "OS::Cinder::VolumeAttachment"
            and a.get("properties", {}).get("volume_id") == rec["id"]
        ]
        return {
            "name": display_name(rec),
            "size": rec["properties"].get("size"),
            "status": "in-use" if attachments else "available",
            "attachments": str(attachments),
            "attachments_list": attachments,
        }


def inside_path(mountpoint: str, where: str) -> str:
    """Where a volume shows inside the instance: ``/dev/vdb`` becomes ``/mnt/volumes/vdb``."""
    if mountpoint.startswith("/dev/"):
        return "/mnt/volumes/" + mountpoint[len("/dev/") :].replace("/", "_")
    return userdata.safe_path(mountpoint, where)


class VolumeAttachmentHandler(Handler):
    type_name = "OS::Cinder::VolumeAttachment"
    properties = frozenset({"instance_uuid", "volume_id", "mountpoint"})
    required = frozenset({"instance_uuid", "volume_id"})

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        if _known(props.get("mountpoint")):
            inside_path(str(props["mountpoint"]), where)
        if _known(props["instance_uuid"]) and ctx.by_id(props["instance_uuid"], SERVER) is None:
            raise _bad(where, f"server {props['instance_uuid']!r} does not exist.")
        if _known(props["volume_id"]) and ctx.by_id(props["volume_id"], VOLUME) is None:
            raise _bad(where, f"volume {props['volume_id']!r} does not exist.")

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        server = ctx.by_id(props["instance_uuid"], SERVER)
        volume = ctx.by_id(props["volume_id"], VOLUME)
        if server is None or volume is None:
            raise ResourceFailed(f"{name}: server or volume is gone.")
        target = inside_path(str(props.get("mountpoint") or f"/dev/vd{name[-1]}"), name)
        sdata = server["data"]
        merged = f"{sdata['folder']}/merged{target}"
        readonly = bool(volume["properties"].get("read_only"))
        script = 'mkdir -p "$1" && mount --bind "$2" "$1"' + (
            ' && mount -o remount,bind,ro "$1"' if readonly else ""
        )
        host.run(
            [
                "nsenter",
                "-t",
                str(sdata["init_pid"]),
                "-m",
                "sh",
                "-c",
                script,
                "sh",
                merged,
                volume["data"]["path"],
            ],
            what=f"attach volume to {server['name']}",
        )
        return {"target": target, "merged": merged, "server_netns": sdata["netns"]}

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        data = rec.get("data") or {}
        server = ctx.by_id(rec.get("properties", {}).get("instance_uuid"), SERVER)
        if server is None or not data:
            return
        sdata = server.get("data") or {}
        pid = int(sdata.get("init_pid") or 0)
        if instance.alive(pid) and instance.in_netns(pid, sdata.get("netns", "")):
            host.run(
                ["nsenter", "-t", str(pid), "-m", "umount", "-l", data["merged"]],
                what="detach a volume",
                check=False,
            )

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"mountpoint": (rec.get("data") or {}).get("target")}


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


def handler_for(type_name: str, where: str) -> Handler:
    from fornace.clouds.local.server import ServerHandler

    known: dict[str, Handler] = {
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
        )
    }
    known.update({t: NoOpHandler(t, p) for t, p in NO_OP.items()})
    known.update({t: ConfigHandler(t, p) for t, p in CONFIGS.items()})
    if type_name not in known:
        raise UnknownResourceType(
            f"{where}: the local cloud does not support resource type {type_name!r}.",
            hint=f"Supported types: {', '.join(sorted(known))}.",
        )
    return known[type_name]


def host_check(handler: Handler, where: str, props: dict[str, Any]) -> None:
    """Checks against the host (cidr overlaps) for resources about to be created."""
    if isinstance(handler, SubnetHandler) and _known(props.get("cidr")):
        handler.check_host(where, props)


__all__ = ["Handler", "catalog", "handler_for", "host_check", "config_text"]
