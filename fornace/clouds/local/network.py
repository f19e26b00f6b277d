"""Networks on the host: a Linux bridge per network, the gateway address on it,
veth pairs into instance namespaces, and address allocation per subnet."""

from __future__ import annotations

import ipaddress
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from fornace.clouds.errors import ResourceFailed, TemplateInvalid
from fornace.clouds.local import host
from fornace.clouds.local.state import CloudState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Nic:
    """One interface of an instance: ``eth<index>`` inside, ``host_name`` outside."""

    index: int
    host_name: str
    bridge: str
    address: str
    prefixlen: int
    gateway: str | None
    mac: str | None = None


def parse_cidr(cidr: object, where: str) -> ipaddress.IPv4Network:
    """A subnet's cidr, checked: IPv4, a network address, room for a gateway and a host."""
    try:
        net = ipaddress.ip_network(str(cidr), strict=True)
    except ValueError as exc:
        raise TemplateInvalid(
            f"{where}: {cidr!r} is not a valid CIDR ({exc}).",
            hint="Write the network address and prefix length, e.g. 10.0.10.0/24.",
        ) from exc
    if not isinstance(net, ipaddress.IPv4Network):
        raise TemplateInvalid(
            f"{where}: IPv6 subnets are not supported by the local cloud.", hint="Use an IPv4 cidr."
        )
    if net.prefixlen > 29:
        raise TemplateInvalid(
            f"{where}: {cidr} is too small for a gateway and instances.",
            hint="Use a prefix of /29 or larger (e.g. /24).",
        )
    return net


def host_routes() -> list[tuple[ipaddress.IPv4Network, str]]:
    """IPv4 networks the host already routes, with the device of each."""
    done = host.run(["ip", "-j", "-4", "route", "show", "table", "main"], what="list host routes")
    routes = []
    for entry in json.loads(done.stdout or "[]"):
        dst = entry.get("dst")
        if not dst or dst == "default":
            continue
        try:
            net = ipaddress.ip_network(dst, strict=False)
        except ValueError:
            continue
        if isinstance(net, ipaddress.IPv4Network):
            routes.append((net, str(entry.get("dev", ""))))
    return routes


def check_free(net: ipaddress.IPv4Network, where: str, own_bridge: str | None = None) -> None:
    """Refuse a cidr that overlaps a network the host already routes."""
    for routed, dev in host_routes():
        if dev == own_bridge:
            continue
        if routed.overlaps(net):
            raise TemplateInvalid(
                f"{where}: {net} overlaps {routed} already used on this host (device {dev}).",
                hint="Pick another cidr; `ip route` shows the networks in use.",
            )


def create_bridge(name: str) -> None:
    host.batch(
        [f"link add {name} type bridge", f"link set {name} up"], what=f"create bridge {name}"
    )


def delete_link(name: str) -> None:
    done = host.run(["ip", "link", "del", name], what=f"delete interface {name}", check=False)
    if done.returncode != 0 and not any(
        m in done.stderr for m in ("Cannot find device", "No such device")
    ):
        raise ResourceFailed(
            f"Could not delete interface {name}.",
            cause=done.stderr.strip(),
            hint="Run `fornace cloud gc` to retry the clean-up.",
        )


def add_gateway(bridge: str, gateway: str, prefixlen: int) -> None:
    host.run(
        ["ip", "addr", "replace", f"{gateway}/{prefixlen}", "dev", bridge],
        what=f"put the gateway address {gateway} on {bridge}",
    )


def remove_gateway(bridge: str, gateway: str, prefixlen: int) -> None:
    host.run(
        ["ip", "addr", "del", f"{gateway}/{prefixlen}", "dev", bridge],
        what=f"remove {gateway} from {bridge}",
        check=False,
    )


def link_names(prefix: str) -> list[str]:
    done = host.run(["ip", "-o", "link", "show"], what="list interfaces")
    names = []
    for line in done.stdout.splitlines():
        parts = line.split(":", 2)
        if len(parts) >= 2:
            name = parts[1].strip().split("@", 1)[0]
            if name.startswith(prefix):
                names.append(name)
    return names


def netns_names(prefix: str) -> list[str]:
    done = host.run(["ip", "netns", "list"], what="list network namespaces")
    return [
        line.split()[0]
        for line in done.stdout.splitlines()
        if line.strip() and line.split()[0].startswith(prefix)
    ]


def plug(netns: str, nics: list[Nic]) -> None:
    """Create the namespace and its interfaces, addressed and routed."""
    outside = [f"netns add {netns}"]
    inside = ["link set lo up"]
    for nic in nics:
        mac = f" address {nic.mac}" if nic.mac else ""
        outside.append(
            f"link add {nic.host_name} type veth peer name eth{nic.index}{mac} netns {netns}"
        )
        outside.append(f"link set {nic.host_name} master {nic.bridge} up")
        inside.append(f"addr add {nic.address}/{nic.prefixlen} dev eth{nic.index}")
        inside.append(f"link set eth{nic.index} up")
    gateway = next((n.gateway for n in nics if n.gateway), None)
    if gateway:
        inside.append(f"route add default via {gateway}")
    host.batch(outside, what=f"create network namespace {netns}")
    host.batch(inside, what=f"configure interfaces in {netns}", netns=netns)


def unplug(netns: str, host_names: list[str]) -> None:
    """Delete the instance's veth pairs (from the host end, which is immediate) and namespace."""
    lines = [f"link del {name}" for name in host_names] + [f"netns del {netns}"]
    host.run(
        ["ip", "-force", "-batch", "-"],
        stdin="\n".join(lines) + "\n",
        what=f"delete namespace {netns}",
        check=False,
    )
    if Path(f"/run/netns/{netns}").exists():
        raise ResourceFailed(
            f"Could not delete network namespace {netns}.",
            hint="Run `fornace cloud gc` to retry the clean-up.",
        )
    left = {name for name in host_names if Path(f"/sys/class/net/{name}").exists()}
    if left:
        raise ResourceFailed(
            f"Could not delete interface(s) {', '.join(sorted(left))}.",
            hint="Run `fornace cloud gc` to retry the clean-up.",
        )


class AddressPool:
    """Hands out addresses of a subnet; the caller holds the host lock."""

    def __init__(self, state: CloudState) -> None:
        self._state = state

    def allocate(
        self, subnet_id: str, cidr: str, gateway: str | None, owner: str, wanted: str | None = None
    ) -> str:
        net = ipaddress.ip_network(cidr)
        ipam = self._state.load_ipam()
        used = ipam.setdefault(subnet_id, {})
        if wanted:
            addr = ipaddress.ip_address(wanted)
            if (
                addr not in net
                or addr in (net.network_address, net.broadcast_address)
                or str(addr) == gateway
            ):
                raise TemplateInvalid(
                    f"Address {wanted} is not usable in subnet {cidr}.",
                    hint="Pick a host address of the subnet, not its gateway.",
                )
            if used.get(str(addr), owner) != owner:
                raise TemplateInvalid(
                    f"Address {wanted} is already in use in subnet {cidr}.",
                    hint="Pick another fixed IP or leave it out.",
                )
            chosen = str(addr)
        else:
            chosen = ""
            for candidate in net.hosts():
                text = str(candidate)
                if text != gateway and text not in used:
                    chosen = text
                    break
            if not chosen:
                raise ResourceFailed(
                    f"Subnet {cidr} has no free address left.",
                    hint="Use a larger cidr for the subnet.",
                )
        used[chosen] = owner
        self._state.save_ipam(ipam)
        return chosen

    def release(self, owner: str) -> None:
        ipam = self._state.load_ipam()
        changed = False
        for used in ipam.values():
            for addr in [a for a, o in used.items() if o == owner]:
                del used[addr]
                changed = True
        if changed:
            self._state.save_ipam(ipam)

    def release_subnet(self, subnet_id: str) -> None:
        ipam = self._state.load_ipam()
        if ipam.pop(subnet_id, None) is not None:
            self._state.save_ipam(ipam)
