"""The template shapes Murano's core library builds (io.murano.resources), end to end.

Names and properties follow NeutronNetwork, NeutronSecurityGroupManager,
LinuxMuranoInstance (user data as OS::Heat::MultipartMime of a CloudConfig
and a SoftwareConfig) and the floating IP of NeutronNetworkBase.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from fornace.clouds.local.driver import LocalCloud
from fornace.testing.localcloud import free_cidr, in_instance, snapshot

NET_ID = "5b2c9d1e"
BOOT_SCRIPT = """#!/bin/bash
echo "$(hostname) ready" > /var/lib/fornace-bus/$(hostname)
cd /tmp && python3 -m http.server 8080 >/dev/null 2>&1 &
"""


def instance(name: str) -> dict[str, Any]:
    port = f"port-{NET_ID}-{name}"
    return {
        name: {
            "type": "OS::Nova::Server",
            "properties": {
                "name": name,
                "flavor": "m1.small",
                "image": "host",
                "availability_zone": "nova",
                "key_name": None,
                "metadata": {},
                "user_data": {"get_resource": f"user_data-{name}"},
                "user_data_format": "RAW",
                "networks": [{"port": {"get_resource": port}}],
            },
        },
        port: {
            "type": "OS::Neutron::Port",
            "properties": {
                "network": {"get_resource": f"network-{NET_ID}"},
                "replacement_policy": "AUTO",
                "fixed_ips": [{"subnet": {"get_resource": f"subnet-{NET_ID}"}}],
                "security_groups": [{"get_resource": "MuranoSecurityGroup-env"}],
            },
        },
        f"fip-{NET_ID}-{name}": {
            "type": "OS::Neutron::FloatingIP",
            "properties": {"floating_network": "public", "port_id": {"get_resource": port}},
        },
        f"boot_config-{name}": {
            "type": "OS::Heat::CloudConfig",
            "properties": {
                "cloud_config": {
                    "write_files": [
                        {"path": "/etc/murano/agent.conf", "content": f"[agent]\nname={name}\n"}
                    ],
                    "runcmd": [["touch", "/var/lib/runcmd-done"]],
                }
            },
        },
        f"boot_script_{name}": {
            "type": "OS::Heat::SoftwareConfig",
            "properties": {"group": "ungrouped", "config": BOOT_SCRIPT},
        },
        f"user_data-{name}": {
            "type": "OS::Heat::MultipartMime",
            "properties": {
                "parts": [
                    {"config": {"get_resource": f"boot_config-{name}"}},
                    {"config": {"get_resource": f"boot_script_{name}"}},
                ]
            },
        },
    }


def murano_template(cidr: str, names: list[str]) -> dict[str, Any]:
    net_name = f"env-network-{NET_ID}"
    resources: dict[str, Any] = {
        f"network-{NET_ID}": {"type": "OS::Neutron::Net", "properties": {"name": net_name}},
        f"subnet-{NET_ID}": {
            "type": "OS::Neutron::Subnet",
            "properties": {
                "network": {"get_resource": f"network-{NET_ID}"},
                "ip_version": 4,
                "dns_nameservers": [],
                "cidr": cidr,
            },
        },
        f"ri-{NET_ID}": {
            "type": "OS::Neutron::RouterInterface",
            "properties": {"router_id": "router-1", "subnet": {"get_resource": f"subnet-{NET_ID}"}},
        },
        "MuranoSecurityGroup-env": {
            "type": "OS::Neutron::SecurityGroup",
            "properties": {
                "description": "Composite security group of Murano environment env",
                "rules": [
                    {"protocol": "icmp", "remote_ip_prefix": "0.0.0.0/0"},
                    {
                        "port_range_min": 22,
                        "port_range_max": 22,
                        "protocol": "tcp",
                        "ethertype": "IPv4",
                        "remote_ip_prefix": "0.0.0.0/0",
                        "direction": "ingress",
                    },
                    {
                        "port_range_min": 8080,
                        "port_range_max": 8080,
                        "protocol": "tcp",
                        "ethertype": "IPv4",
                        "remote_mode": "remote_group_id",
                        "direction": "ingress",
                    },
                ],
            },
        },
    }
    outputs: dict[str, Any] = {}
    for name in names:
        resources.update(instance(name))
        outputs[f"{name}-id"] = {"value": {"get_resource": name}}
        outputs[f"addresses-{name}-{NET_ID}"] = {
            "value": {"get_attr": [name, "addresses", net_name]}
        }
        outputs[f"{name}-floatingIPaddress"] = {
            "value": {"get_attr": [f"fip-{NET_ID}-{name}", "floating_ip_address"]}
        }
    return {
        "heat_template_version": "2013-05-23",
        "description": "murano env",
        "resources": resources,
        "outputs": outputs,
    }


def wait_file(path: Path) -> str:
    deadline = time.monotonic() + 20
    while not path.exists() or not path.read_text():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)
    return path.read_text()


def test_murano_shaped_environment(data_dir: Path, tmp_path: Path) -> None:
    from fornace.clouds.local import gc

    bus = tmp_path / "bus"
    bus.mkdir()
    cloud = LocalCloud(data_dir, bind_mounts=[(str(bus), "/var/lib/fornace-bus")])
    before = snapshot(data_dir)
    outputs = cloud.push("murano-env-1", murano_template(free_cidr(), ["vm-a", "vm-b"]))

    for name in ("vm-a", "vm-b"):
        address = outputs[f"addresses-{name}-{NET_ID}"][0]["addr"]
        assert outputs[f"{name}-floatingIPaddress"] == address
        # The boot script (second MIME part) ran and wrote through the bind mount.
        assert wait_file(bus / name) == f"{name} ready\n"

    records = cloud.state.load_stack("murano-env-1")["resources"]  # type: ignore[index]
    vm_a = records["vm-a"]["data"]
    assert in_instance(vm_a["init_pid"], "cat", "/etc/murano/agent.conf") == "[agent]\nname=vm-a\n"
    deadline = time.monotonic() + 20
    while in_instance(vm_a["init_pid"], "ls", "/var/lib/", check=False).find("runcmd-done") < 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    # The cloud's own state is hidden inside instances.
    assert in_instance(vm_a["init_pid"], "ls", "-A", str(cloud.state.root)).strip() == ""

    if shutil.which("nft"):
        # remote_mode remote_group_id: members of the group reach 8080, the host does not.
        b_ip = outputs[f"addresses-vm-b-{NET_ID}"][0]["addr"]
        probe = (
            f"import urllib.request as u; print(u.urlopen('http://{b_ip}:8080/', timeout=2).status)"
        )
        deadline = time.monotonic() + 20
        while in_instance(vm_a["init_pid"], "python3", "-c", probe, check=False).strip() != "200":
            assert time.monotonic() < deadline, "vm-a never reached vm-b:8080"
            time.sleep(0.1)
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://{b_ip}:8080/", timeout=1.0, trust_env=False)

    description = cloud.describe("murano-env-1")
    types = {r.type for r in description.resources}
    assert "OS::Heat::MultipartMime" in types and "OS::Neutron::RouterInterface" in types
    servers = [r for r in description.resources if r.type == "OS::Nova::Server"]
    assert {r.attributes["status"] for r in servers} == {"ACTIVE"}

    cloud.delete("murano-env-1")
    assert gc.find(cloud.state).empty()
    assert snapshot(data_dir) == before
    assert sorted(p.name for p in bus.iterdir()) == ["vm-a", "vm-b"]
