"""OS::Nova::Server: an instance (see :mod:`instance`) and its security groups."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from fornace.clouds.errors import ResourceFailed
from fornace.clouds.local import catalog, firewall, instance, network, userdata
from fornace.clouds.local.context import (
    CONFIG_TYPES,
    NETWORK,
    PORT,
    SECURITY_GROUP,
    SERVER,
    SUBNET,
    Context,
    display_name,
)
from fornace.clouds.local.handler import Handler, bad, known
from fornace.clouds.local.heatconfig import config_text
from fornace.clouds.local.neutron import allocate_address, check_groups, check_network_ref, mac

log = logging.getLogger(__name__)

FORMATS = ("HEAT_CFNTOOLS", "RAW", "SOFTWARE_CONFIG")


def user_data_text(ctx: Context, props: dict[str, Any]) -> Any:
    """The user data, with a Heat config resource id replaced by its content."""
    value = props.get("user_data")
    source = ctx.by_id(value, *CONFIG_TYPES) if isinstance(value, str) else None
    return config_text(ctx, source) if source is not None else value


class ServerHandler(Handler):
    type_name = SERVER
    properties = frozenset(
        {
            "name",
            "image",
            "flavor",
            "networks",
            "user_data",
            "user_data_format",
            "metadata",
            "key_name",
            "security_groups",
            "availability_zone",
            "config_drive",
            "admin_pass",
            "scheduler_hints",
            "block_device_mapping",
            "block_device_mapping_v2",
            "diskConfig",
            "flavor_update_policy",
            "image_update_policy",
            "software_config_transport",
            "user_data_update_policy",
            "personality",
            "reservation_id",
            "deployment_swift_data",
            "tags",
            "admin_user",
        }
    )
    required = frozenset({"flavor"})
    updatable = frozenset(
        {
            "name",
            "metadata",
            "security_groups",
            "admin_pass",
            "scheduler_hints",
            "tags",
            "flavor_update_policy",
            "image_update_policy",
            "user_data_update_policy",
        }
    )

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        image = props.get("image")
        if image is None and not (
            props.get("block_device_mapping") or props.get("block_device_mapping_v2")
        ):
            raise bad(where, "neither image nor a bootable volume is given.")
        if known(image) and catalog.find_image(str(image)) is None:
            names = ", ".join(i["name"] for i in catalog.images())
            raise bad(
                where, f"image {image!r} does not exist.", f"Images of the local cloud: {names}."
            )
        flavor = props.get("flavor")
        if known(flavor) and catalog.find_flavor(str(flavor)) is None:
            names = ", ".join(f["name"] for f in catalog.flavors())
            raise bad(where, f"flavor {flavor!r} does not exist.", f"Flavors: {names}.")
        fmt = props.get("user_data_format") or "HEAT_CFNTOOLS"
        if known(fmt) and fmt not in FORMATS:
            raise bad(where, f"user_data_format {fmt!r} is not one of {', '.join(FORMATS)}.")
        zone = props.get("availability_zone")
        if known(zone) and zone not in ("", catalog.AVAILABILITY_ZONE):
            raise bad(
                where,
                f"availability zone {zone!r} does not exist.",
                f"The local cloud has one zone: {catalog.AVAILABILITY_ZONE}.",
            )
        key = props.get("key_name")
        if (
            known(key)
            and key != ""
            and key not in {k["name"] for k in catalog.keypairs(ctx.state.root / "keypairs")}
        ):
            raise bad(
                where,
                f"keypair {key!r} does not exist.",
                f"Put its public key at {ctx.state.root / 'keypairs'}/{key}.pub.",
            )
        check_groups(ctx, where, props.get("security_groups"))
        networks = props.get("networks") or []
        if not known(networks):
            return
        if not isinstance(networks, list):
            raise bad(where, "networks must be a list.")
        for entry in networks:
            if not isinstance(entry, dict):
                raise bad(where, "each networks entry must be a mapping.")
            if known(entry.get("port")) and ctx.find(entry["port"], PORT) is None:
                raise bad(where, f"port {entry['port']!r} does not exist.")
            check_network_ref(ctx, where, entry.get("network", entry.get("uuid")))
            if known(entry.get("subnet")) and ctx.find(entry["subnet"], SUBNET) is None:
                raise bad(where, f"subnet {entry['subnet']!r} does not exist.")
            if not any(entry.get(k) is not None for k in ("port", "network", "uuid", "subnet")):
                raise bad(where, "a networks entry needs port, network or subnet.")
        text = user_data_text(ctx, props)
        if known(text):
            userdata.render(str(text), where)

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        flavor = catalog.find_flavor(str(props["flavor"])) or {}
        short = ctx.state.new_short(set())
        folder = ctx.state.instance_dir(short)
        folder.mkdir(parents=True)
        # Written first: if this process dies now, gc and delete still find the instance.
        (folder / "owner").write_text(f"{ctx.stack}\n{name}\n{rid}\n")
        netns = f"{ctx.state.netns_prefix}{short}"
        hostname = _hostname(str(props.get("name") or name))
        data: dict[str, Any] = {
            "short": short,
            "netns": netns,
            "folder": str(folder),
            "hostname": hostname,
            "cgroup": f"{ctx.state.tag}-{short}",
            "pid": 0,
            "init_pid": 0,
            "nics": [],
        }
        try:
            data["nics"] = self._nics(ctx, name, rid, short, props)
            spec = instance.Spec(
                short=short,
                netns=netns,
                hostname=hostname,
                folder=folder,
                nics=tuple(
                    network.Nic(
                        n["index"],
                        n["host_name"],
                        n["bridge"],
                        n["ip"],
                        n["prefixlen"],
                        n["gateway"],
                        n.get("mac"),
                    )
                    for n in data["nics"]
                ),
                vcpus=int(flavor.get("vcpus", 1)),
                ram_mb=int(flavor.get("ram", 512)),
                boot=userdata.render(_str(user_data_text(ctx, props)), name),
                binds=ctx.options.bind_mounts,
                hide=str(ctx.state.root),
                cgroup_name=data["cgroup"],
            )
            pid, init_pid, limited = instance.boot(spec)
            data.update(pid=pid, init_pid=init_pid, limits_applied=limited)
        except BaseException:
            self.delete(ctx, {"id": rid, "data": data})
            raise
        return data

    def _nics(
        self, ctx: Context, name: str, rid: str, short: str, props: dict[str, Any]
    ) -> list[dict[str, Any]]:
        nics = []
        for index, entry in enumerate(props.get("networks") or []):
            if entry.get("port") is not None:
                port = ctx.find(entry["port"], PORT)
                if port is None:
                    raise ResourceFailed(f"{name}: port {entry['port']!r} is gone.")
                nic = dict(port["data"], port_id=port["id"])
            else:
                nic = allocate_address(
                    ctx,
                    name,
                    entry.get("network", entry.get("uuid")),
                    entry.get("subnet"),
                    entry.get("fixed_ip"),
                    rid,
                )
                nic.update(port_id=None, mac=mac())
            nic.update(index=index, host_name=f"{ctx.state.veth_prefix}{short}{index}")
            nics.append(nic)
        return nics

    def update(self, ctx: Context, rec: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
        return dict(rec.get("data") or {})

    def healthy(self, rec: dict[str, Any]) -> bool:
        """An instance whose first process is gone (killed, host rebooted) is rebuilt."""
        data = rec.get("data") or {}
        pid = int(data.get("init_pid") or 0)
        return instance.alive(pid) and instance.in_netns(pid, str(data.get("netns", "")))

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        data = rec.get("data") or {}
        if data.get("netns"):
            instance.destroy(
                data["short"],
                data["netns"],
                int(data.get("pid") or 0),
                int(data.get("init_pid") or 0),
                [n["host_name"] for n in data.get("nics") or []]
                or [f"{ctx.state.veth_prefix}{data['short']}{i}" for i in range(4)],
                ctx.state.instance_dir(data["short"]),
                data.get("cgroup", ""),
            )
        with ctx.state.host_lock():
            network.AddressPool(ctx.state).release(rec["id"])

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        data = rec.get("data") or {}
        networks: dict[str, list[str]] = {}
        addresses: dict[str, list[dict[str, Any]]] = {}
        for nic in data.get("nics") or []:
            net = ctx.by_id(nic.get("network_id"), NETWORK)
            label = display_name(net) if net else nic.get("network_name", "")
            networks.setdefault(label, []).append(nic["ip"])
            addresses.setdefault(label, []).append(
                {
                    "addr": nic["ip"],
                    "version": 4,
                    "OS-EXT-IPS:type": "fixed",
                    "OS-EXT-IPS-MAC:mac_addr": nic.get("mac"),
                    "port": nic.get("port_id"),
                }
            )
        first = next((n["ip"] for n in data.get("nics") or []), "")
        running = instance.alive(int(data.get("init_pid") or 0))
        return {
            "name": rec.get("properties", {}).get("name") or rec.get("name"),
            "networks": networks,
            "addresses": addresses,
            "first_address": first,
            "accessIPv4": first,
            "accessIPv6": "",
            "instance_name": data.get("netns"),
            "status": "ACTIVE" if running else "SHUTOFF",
            "limits_applied": data.get("limits_applied", False),
            "console_log": f"{data.get('folder')}/console.log",
        }


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _hostname(name: str) -> str:
    """A valid host name from a server name (as Nova does: letters, digits, '-')."""
    clean = "".join(c if c.isalnum() or c == "-" else "-" for c in name.lower()).strip("-")
    return (clean or "instance")[:63]


def apply_firewalls(ctx: Context) -> dict[str, str]:
    """Bring every server of the stack to its security groups; ``{server: note}``."""
    servers = [r for r in ctx.records.values() if r.get("type") == SERVER and r.get("data")]
    groups_of: dict[tuple[str, int], list[str]] = {}
    members: dict[str, list[str]] = {}
    for srv in servers:
        for nic in srv["data"].get("nics") or []:
            port = ctx.by_id(nic.get("port_id"), PORT)
            refs = (port or {}).get("properties", {}).get("security_groups")
            if refs is None:
                refs = srv["properties"].get("security_groups") or []
            ids = []
            for ref in refs:
                group = ctx.find(ref, SECURITY_GROUP)
                if group is not None:
                    ids.append(group["id"])
                    members.setdefault(group["id"], []).append(nic["ip"])
            groups_of[(srv["id"], nic["index"])] = ids
    notes = {}
    for srv in servers:
        if not any(groups_of[(srv["id"], nic["index"])] for nic in srv["data"].get("nics") or []):
            if srv["data"].get("firewall"):
                firewall.clear(srv["data"]["netns"])
                srv["data"]["firewall"] = ""
            notes[srv["name"]] = ""
            continue
        ports = []
        for nic in srv["data"].get("nics") or []:
            ids = groups_of[(srv["id"], nic["index"])]
            if not ids:
                ports.append(
                    firewall.PortRules(
                        nic["index"], ({"direction": "ingress"}, {"direction": "egress"}), {}
                    )
                )
                continue
            rules: list[dict[str, Any]] = []
            for gid in ids:
                group = ctx.by_id(gid, SECURITY_GROUP) or {}
                for rule in group.get("properties", {}).get("rules") or []:
                    rule = dict(rule)
                    if rule.get("remote_mode") == "remote_group_id" and not rule.get(
                        "remote_group_id"
                    ):
                        rule["remote_group_id"] = gid
                    rules.append(rule)
            member_map = {g: tuple(sorted(set(a))) for g, a in members.items()}
            ports.append(firewall.PortRules(nic["index"], tuple(rules), member_map))
        script = firewall.ruleset(ports)
        digest = hashlib.sha1(script.encode()).hexdigest()
        if not firewall.enforced():
            notes[srv["name"]] = "security groups not enforced: nft is not installed"
            continue
        if srv["data"].get("firewall") != digest:
            firewall.apply(srv["data"]["netns"], script)
            srv["data"]["firewall"] = digest
        notes[srv["name"]] = ""
    return notes
