"""``io.murano.system.NetworkExplorer`` over the engine's cloud driver.

Listings come from the driver's Neutron-shaped ``list_*``. The local cloud has
no routers and no external networks: ``getDefaultRouter`` answers null (the
network then gets no router interface), and a floating IP's external network is
the instance's own network (the host reaches every instance address).
"""

from __future__ import annotations

from typing import Any

from fornace.corelib.errors import NeedsOpenStack, StackError
from fornace.corelib.system._base import SystemPart
from fornace.dsl import murano_method


class NetworkExplorer(SystemPart):
    def __init__(self, this: Any, regionName: str | None = None, **_: Any) -> None:  # noqa: N803
        super().__init__(this)
        self.region_name = regionName

    def _cloud(self) -> Any:
        cloud = self.services.cloud
        if cloud is None:
            raise StackError("no cloud is configured for the engine",
                             hint="Set the engine's cloud driver (e.g. the local cloud).")
        return cloud

    @murano_method
    def get_default_router(self) -> str | None:
        return None

    @murano_method
    def get_available_cidr(self, router_id: Any = None, net_id: Any = None,
                           ip_version: int = 4) -> str:
        if int(ip_version or 4) != 4:
            raise NeedsOpenStack("IPv6 networks")
        available = getattr(self._cloud(), "available_cidr", None)
        if available is None:
            raise NeedsOpenStack("NetworkExplorer.getAvailableCidr on this cloud driver")
        template = self.services.config.get("env_ip_template", "10.0.0.0/16")
        prefix = int(self.services.config.get("network_prefix", 24))
        return str(available(seed=str(net_id or ""), template=template, prefix=prefix))

    @murano_method
    def get_default_dns(self, ip_version: int = 4) -> list[str]:
        return list(self.services.config.get("default_dns") or [])

    @murano_method
    def get_external_network_id_for_router(self, router_id: Any) -> None:
        raise NeedsOpenStack("external networks of Neutron routers")

    @murano_method
    def get_external_network_id_for_network(self, network_id: Any) -> None:
        raise NeedsOpenStack("external networks of Neutron routers")

    @murano_method
    def list_networks(self) -> list[dict[str, Any]]:
        return list(self._cloud().list_networks())

    @murano_method
    def list_subnetworks(self) -> list[dict[str, Any]]:
        return list(self._cloud().list_subnets())

    @murano_method
    def list_ports(self) -> list[dict[str, Any]]:
        raise NeedsOpenStack("NetworkExplorer.listPorts")

    @murano_method
    def list_neutron_extensions(self) -> list[dict[str, Any]]:
        return [{"alias": "security-group", "name": "security-group"}]
