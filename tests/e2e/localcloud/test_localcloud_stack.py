"""A web stack on the local cloud: create, grow, replace a server, delete."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from fornace.clouds.local.driver import LocalCloud
from fornace.testing.localcloud import fetch, free_cidr, in_instance, snapshot

WEB = """#!/bin/sh
mkdir -p /srv/www
echo "<html><body>{greeting} from $(hostname)</body></html>" > /srv/www/index.html
cd /srv/www
python3 -m http.server 8081 >/dev/null 2>&1 &
exec python3 -m http.server 80 >/var/log/web.log 2>&1
"""


def server(name: str, greeting: str = "hello") -> dict[str, Any]:
    return {
        "type": "OS::Nova::Server",
        "properties": {
            "name": name,
            "image": "host",
            "flavor": "m1.tiny",
            "user_data_format": "RAW",
            "user_data": {"str_replace": {"template": WEB, "params": {"{greeting}": greeting}}},
            "networks": [{"port": {"get_resource": f"port-{name}"}}],
        },
    }


def port(name: str) -> dict[str, Any]:
    return {
        "type": "OS::Neutron::Port",
        "properties": {
            "network": {"get_resource": "net"},
            "fixed_ips": [{"subnet": {"get_resource": "subnet"}}],
            "security_groups": [{"get_resource": "web-sg"}],
        },
    }


def web_template(cidr: str, servers: dict[str, str]) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "net": {"type": "OS::Neutron::Net", "properties": {"name": "web-net"}},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {
                "network": {"get_resource": "net"},
                "cidr": {"get_param": "cidr"},
                "ip_version": 4,
            },
        },
        "web-sg": {
            "type": "OS::Neutron::SecurityGroup",
            "properties": {
                "rules": [
                    {"protocol": "icmp", "remote_ip_prefix": "0.0.0.0/0"},
                    {
                        "protocol": "tcp",
                        "port_range_min": 80,
                        "port_range_max": 80,
                        "remote_ip_prefix": "0.0.0.0/0",
                        "direction": "ingress",
                        "ethertype": "IPv4",
                    },
                ]
            },
        },
    }
    outputs: dict[str, Any] = {}
    for name, greeting in servers.items():
        resources[name] = server(name, greeting)
        resources[f"port-{name}"] = port(name)
        outputs[f"{name}-ip"] = {"value": {"get_attr": [name, "first_address"]}}
        outputs[f"{name}-addresses"] = {"value": {"get_attr": [name, "addresses", "web-net"]}}
        outputs[f"{name}-id"] = {"value": {"get_resource": name}}
    return {
        "heat_template_version": "2013-05-23",
        "parameters": {"cidr": {"type": "string", "default": cidr}},
        "resources": resources,
        "outputs": outputs,
    }


def server_data(cloud: LocalCloud, stack: str, name: str) -> dict[str, Any]:
    record = cloud.state.load_stack(stack)["resources"][name]  # type: ignore[index]
    return record["data"]  # type: ignore[no-any-return]


def test_web_stack_lifecycle(cloud: LocalCloud, data_dir: Path) -> None:
    before = snapshot(data_dir)
    cidr = free_cidr()

    outputs = cloud.push("web", web_template(cidr, {"web-1": "hello", "web-2": "hello"}))
    ips = {outputs["web-1-ip"], outputs["web-2-ip"]}
    assert len(ips) == 2
    for name in ("web-1", "web-2"):
        ip = outputs[f"{name}-ip"]
        assert ip.startswith(cidr.rsplit(".", 1)[0] + ".")
        assert outputs[f"{name}-addresses"][0]["addr"] == ip
        assert f"hello from {name}" in fetch(ip, "/index.html")
    assert cloud.describe("web").status == "CREATE_COMPLETE"
    # The snapshot sees the running stack (so its equality at the end means something).
    during = snapshot(data_dir)
    assert len(during.netns - before.netns) == 2
    assert len(during.links - before.links) == 3  # a bridge and two veth ends
    assert any("http.server 80" in p for p in during.processes - before.processes)
    assert any(f.startswith("instances/") for f in during.folders - before.folders)

    # Security group: port 80 is allowed, 8081 is not (when nft can enforce it).
    first = {n: server_data(cloud, "web", n) for n in ("web-1", "web-2")}
    first_id = outputs["web-1-id"]
    if shutil.which("nft"):
        # The instance serves 8081 (seen from inside), the host cannot reach it.
        probe = "import urllib.request as u; print(u.urlopen('http://127.0.0.1:8081/').status)"
        deadline = time.monotonic() + 20
        while (
            in_instance(first["web-1"]["init_pid"], "python3", "-c", probe, check=False).strip()
            != "200"
        ):
            assert time.monotonic() < deadline, "8081 never served inside the instance"
            time.sleep(0.1)
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://{outputs['web-1-ip']}:8081/", timeout=1.0, trust_env=False)

    # Adding a third server leaves the first two running as they were.
    outputs = cloud.push(
        "web", web_template(cidr, {"web-1": "hello", "web-2": "hello", "web-3": "hello"})
    )
    assert "hello from web-3" in fetch(outputs["web-3-ip"], "/index.html")
    for name in ("web-1", "web-2"):
        assert server_data(cloud, "web", name)["netns"] == first[name]["netns"]
        assert server_data(cloud, "web", name)["init_pid"] == first[name]["init_pid"]
    assert cloud.describe("web").status == "UPDATE_COMPLETE"

    # Pushing the same template again changes nothing.
    same = cloud.push(
        "web", web_template(cidr, {"web-1": "hello", "web-2": "hello", "web-3": "hello"})
    )
    assert same == outputs

    # New user data for web-1 replaces it; web-2 stays.
    outputs = cloud.push(
        "web", web_template(cidr, {"web-1": "bonjour", "web-2": "hello", "web-3": "hello"})
    )
    replaced = server_data(cloud, "web", "web-1")
    assert replaced["netns"] != first["web-1"]["netns"]
    assert outputs["web-1-id"] != first_id
    assert not Path(first["web-1"]["folder"]).exists()
    assert "bonjour from web-1" in fetch(outputs["web-1-ip"], "/index.html")
    assert server_data(cloud, "web", "web-2")["init_pid"] == first["web-2"]["init_pid"]

    # Removing a server from the template deletes it.
    outputs = cloud.push("web", web_template(cidr, {"web-1": "bonjour", "web-2": "hello"}))
    assert "web-3-ip" not in outputs

    cloud.delete("web")
    assert cloud.list_stacks() == []
    after = snapshot(data_dir)
    assert after == before


def test_empty_template_deletes_the_stack(cloud: LocalCloud, data_dir: Path) -> None:
    before = snapshot(data_dir)
    cloud.push("short", web_template(free_cidr(), {"only": "hi"}))
    assert cloud.list_stacks() == ["short"]
    assert cloud.push("short", {"heat_template_version": "2013-05-23", "resources": {}}) == {}
    assert cloud.list_stacks() == []
    assert cloud.outputs("short") == {}
    assert snapshot(data_dir) == before


def test_available_cidr_avoids_what_is_in_use(cloud: LocalCloud, data_dir: Path) -> None:
    first = cloud.available_cidr("net-1", template="10.240.0.0/22")
    cloud.push("taken", web_template(first, {}))
    second = cloud.available_cidr("net-1", template="10.240.0.0/22")
    assert second != first
    assert cloud.list_subnets()[0]["cidr"] == first
    assert cloud.list_networks()[0]["name"] == "web-net"
    cloud.delete("taken")
    assert cloud.available_cidr("net-1", template="10.240.0.0/22") == first
