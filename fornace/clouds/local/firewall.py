"""Security groups as nftables rules inside an instance's network namespace.

Neutron's semantics, per interface: ingress is dropped unless a rule of one
of the port's groups allows it; egress is allowed unless some group has egress
rules (Heat removes the default allow-all egress rules then). Replies of
allowed connections pass (connection tracking).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fornace.clouds.local import host

PROTOCOLS = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "6": "tcp", "17": "udp", "1": "icmp"}


@dataclass(frozen=True)
class PortRules:
    """The rules of all security groups of one interface (``eth<index>``)."""

    index: int
    rules: tuple[dict[str, Any], ...]
    group_members: dict[str, tuple[str, ...]]  # remote group id -> member addresses


def enforced() -> bool:
    return host.which("nft") is not None


def _match(rule: dict[str, Any], members: dict[str, tuple[str, ...]], outgoing: bool) -> str | None:
    parts: list[str] = []
    ethertype = rule.get("ethertype") or "IPv4"
    family = "ip" if ethertype == "IPv4" else "ip6"
    parts.append(f"meta nfproto {'ipv4' if family == 'ip' else 'ipv6'}")
    remote = "daddr" if outgoing else "saddr"
    prefix = rule.get("remote_ip_prefix")
    group = rule.get("remote_group_id")
    if prefix:
        if prefix not in ("0.0.0.0/0", "::/0"):
            parts.append(f"{family} {remote} {prefix}")
    elif group is not None or rule.get("remote_mode") == "remote_group_id":
        addresses = members.get(str(group), ())
        if not addresses:
            return None
        parts.append(f"{family} {remote} {{ {', '.join(addresses)} }}")
    protocol = rule.get("protocol")
    if protocol not in (None, "", "any"):
        name = PROTOCOLS.get(str(protocol).lower(), str(protocol))
        low, high = rule.get("port_range_min"), rule.get("port_range_max")
        if name in ("tcp", "udp") and low is not None:
            span = f"{low}-{high}" if high not in (None, low) else f"{low}"
            parts.append(f"{name} dport {span}")
        elif name == "icmp" and family == "ip6":
            parts.append("meta l4proto ipv6-icmp")
        else:
            parts.append(f"meta l4proto {name}")
    return " ".join(parts)


def ruleset(ports: list[PortRules]) -> str:
    """The nft script replacing the instance's ``inet fornace`` table."""
    inbound: list[str] = []
    outbound: list[str] = []
    egress_limited = False
    for port in ports:
        iface = f"eth{port.index}"
        egress = [r for r in port.rules if r.get("direction", "ingress") == "egress"]
        for rule in port.rules:
            outgoing = rule.get("direction", "ingress") == "egress"
            match = _match(rule, port.group_members, outgoing)
            if match is None:
                continue
            if outgoing:
                outbound.append(f'oifname "{iface}" {match} accept')
            else:
                inbound.append(f'iifname "{iface}" {match} accept')
        if egress:
            egress_limited = True
        else:
            outbound.append(f'oifname "{iface}" accept')
    lines = [
        "table inet fornace {}",
        "delete table inet fornace",
        "table inet fornace {",
        "  chain input {",
        "    type filter hook input priority 0; policy drop;",
        "    ct state established,related accept",
        '    iifname "lo" accept',
        *(f"    {r}" for r in inbound),
        "  }",
        "  chain output {",
        f"    type filter hook output priority 0; policy {'drop' if egress_limited else 'accept'};",
        "    ct state established,related accept",
        '    oifname "lo" accept',
        *(f"    {r}" for r in outbound),
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def apply(netns: str, script: str) -> None:
    host.run(
        ["nsenter", f"--net=/run/netns/{netns}", host.require("nft"), "-f", "-"],
        stdin=script,
        what=f"apply security group rules in {netns}",
    )


def clear(netns: str) -> None:
    host.run(
        [
            "nsenter",
            f"--net=/run/netns/{netns}",
            host.require("nft"),
            "delete",
            "table",
            "inet",
            "fornace",
        ],
        what=f"clear security group rules in {netns}",
        check=False,
    )
