"""Local cloud timings: one instance, and stacks of 1, 10 and 50 instances.

Run as root: ``python bench/instances.py [--rounds N]``. Each instance's
user data does nothing. Prints figures and their ratio to the targets
(instance create + delete < 150 ms; a 50-instance stack < 10 s).
"""

from __future__ import annotations

import argparse
import ipaddress
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fornace.clouds.local import gc  # noqa: E402
from fornace.clouds.local.driver import LocalCloud  # noqa: E402

TARGET_ONE = 0.150
TARGET_FIFTY = 10.0


def free_cidr(prefix: int) -> str:
    routes = subprocess.run(["ip", "-4", "route"], capture_output=True, text=True).stdout
    used = [
        ipaddress.ip_network(line.split()[0], strict=False)
        for line in routes.splitlines()
        if line and line.split()[0] != "default"
    ]
    while True:
        net = ipaddress.ip_network(
            f"10.{random.randint(200, 250)}.{random.randint(0, 255)}.0/{prefix}", strict=False
        )
        if not any(net.overlaps(u) for u in used):
            return str(net)


def network(cidr: str) -> dict[str, Any]:
    return {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": cidr},
        },
    }


def servers(count: int, cidr: str) -> dict[str, Any]:
    resources = network(cidr)
    for index in range(count):
        resources[f"vm{index}"] = {
            "type": "OS::Nova::Server",
            "properties": {
                "image": "host",
                "flavor": "m1.tiny",
                "user_data": "#!/bin/sh\ntrue\n",
                "user_data_format": "RAW",
                "networks": [{"network": {"get_resource": "net"}}],
            },
        }
    return {"heat_template_version": "2013-05-23", "resources": resources}


def one_instance(cloud: LocalCloud, rounds: int) -> tuple[float, float]:
    """Median create and delete time of one server, its network already there."""
    cidr = free_cidr(24)
    base = {"heat_template_version": "2013-05-23", "resources": network(cidr)}
    cloud.push("bench-one", base)
    creates, deletes = [], []
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            cloud.push("bench-one", servers(1, cidr))
            creates.append(time.perf_counter() - start)
            start = time.perf_counter()
            cloud.push("bench-one", base)
            deletes.append(time.perf_counter() - start)
    finally:
        cloud.delete("bench-one")
    return statistics.median(creates), statistics.median(deletes)


def stack(cloud: LocalCloud, count: int) -> tuple[float, float]:
    template = servers(count, free_cidr(24))
    start = time.perf_counter()
    try:
        cloud.push(f"bench-{count}", template)
        created = time.perf_counter() - start
    finally:
        start = time.perf_counter()
        cloud.delete(f"bench-{count}")
    return created, time.perf_counter() - start


def run(cloud: LocalCloud, rounds: int) -> None:
    create, delete = one_instance(cloud, rounds)
    total = create + delete
    print(
        f"one instance: create {create * 1000:.0f} ms, delete {delete * 1000:.0f} ms, "
        f"together {total * 1000:.0f} ms = {total / TARGET_ONE:.2f} x target "
        f"({TARGET_ONE * 1000:.0f} ms)"
    )
    for count in (1, 10, 50):
        created, deleted = stack(cloud, count)
        line = (
            f"stack of {count:2d}: create {created:.2f} s "
            f"({created / count * 1000:.0f} ms per instance), delete {deleted:.2f} s"
        )
        if count == 50:
            line += f"; create = {created / TARGET_FIFTY:.2f} x target ({TARGET_FIFTY:.0f} s)"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fornace-bench-") as folder:
        cloud = LocalCloud(folder)
        try:
            run(cloud, args.rounds)
        finally:
            for name in cloud.list_stacks():
                cloud.delete(name)
            gc.collect(cloud.state)


if __name__ == "__main__":
    main()
