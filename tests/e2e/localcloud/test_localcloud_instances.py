"""What an instance keeps to itself: files, host name, processes; volumes; parallel stacks."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fornace.clouds.local import cgroups
from fornace.clouds.local.driver import LocalCloud
from fornace.testing.localcloud import free_cidr, in_instance, snapshot

BOOT = """#!/bin/sh
echo "written by $(hostname)" > /etc/fornace-probe
sleep 1000 &
echo $! > /root/sleeper.pid
"""


def two_servers(cidr: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": cidr},
        },
    }
    for name in ("alpha", "beta"):
        resources[name] = {
            "type": "OS::Nova::Server",
            "properties": {
                "name": name,
                "image": "host",
                "flavor": "m1.small",
                "user_data": BOOT,
                "user_data_format": "RAW",
                "networks": [
                    {"network": {"get_resource": "net"}, "subnet": {"get_resource": "subnet"}}
                ],
            },
        }
    resources.update(extra or {})
    return {
        "heat_template_version": "2015-04-30",
        "resources": resources,
        "outputs": {"alpha": {"value": {"get_attr": ["alpha", "networks"]}}},
    }


def data(cloud: LocalCloud, stack: str, name: str) -> dict[str, Any]:
    return cloud.state.load_stack(stack)["resources"][name]["data"]  # type: ignore[index,no-any-return]


def wait_for(init_pid: int, path: str) -> str:
    import time

    deadline = time.monotonic() + 20
    while True:
        text = in_instance(init_pid, "cat", path, check=False)
        if text:
            return text
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_instances_keep_files_names_and_processes_to_themselves(
    cloud: LocalCloud, data_dir: Path
) -> None:
    before = snapshot(data_dir)
    outputs = cloud.push("iso", two_servers(free_cidr()))
    assert list(outputs["alpha"].values())[0][0].count(".") == 3
    alpha, beta = data(cloud, "iso", "alpha"), data(cloud, "iso", "beta")

    # Writes land in the instance's own upper layer; the host's file is untouched.
    assert wait_for(alpha["init_pid"], "/etc/fornace-probe").strip() == "written by alpha"
    assert not Path("/etc/fornace-probe").exists()
    assert (Path(alpha["folder"]) / "upper/etc/fornace-probe").read_text() == "written by alpha\n"
    assert wait_for(beta["init_pid"], "/etc/fornace-probe").strip() == "written by beta"

    # Own host names.
    assert in_instance(alpha["init_pid"], "hostname").strip() == "alpha"
    assert in_instance(beta["init_pid"], "hostname").strip() == "beta"

    # Own process trees: each sees its sleeper as a low pid, never the other's.
    alpha_sleeper = wait_for(alpha["init_pid"], "/root/sleeper.pid").strip()
    ps_alpha = in_instance(alpha["init_pid"], "ps", "-e", "-o", "pid=,args=")
    ps_beta = in_instance(beta["init_pid"], "ps", "-e", "-o", "pid=,args=")
    assert "sleep 1000" in ps_alpha and "sleep 1000" in ps_beta
    assert len([line for line in ps_alpha.splitlines() if "sleep 1000" in line]) == 1
    assert any(line.split()[0] == "1" for line in ps_alpha.splitlines())
    assert alpha_sleeper in {line.split()[0] for line in ps_alpha.splitlines()}
    assert "pytest" not in ps_alpha

    # Own network namespace and address.
    ip_a = in_instance(alpha["init_pid"], "ip", "-o", "-4", "addr", "show", "eth0")
    assert alpha["nics"][0]["ip"] in ip_a and beta["nics"][0]["ip"] not in ip_a

    # Flavor limits (m1.small: 2048 MiB, 1 vcpu) hold every process of the instance.
    if cgroups.available():
        assert alpha["limits_applied"] is True
        membership = Path(f"/proc/{alpha['init_pid']}/cgroup").read_text()
        assert f"/fornace/{alpha['cgroup']}" in membership
        if (Path("/sys/fs/cgroup") / "cgroup.controllers").exists():
            limit = Path(f"/sys/fs/cgroup/fornace/{alpha['cgroup']}/memory.max").read_text()
        else:
            limit = Path(
                f"/sys/fs/cgroup/memory/fornace/{alpha['cgroup']}/memory.limit_in_bytes"
            ).read_text()
        assert int(limit) == 2048 * 1024 * 1024

    cloud.delete("iso")
    assert snapshot(data_dir) == before


def test_volume_attached_to_an_instance(cloud: LocalCloud, data_dir: Path) -> None:
    before = snapshot(data_dir)
    extra = {
        "vol": {"type": "OS::Cinder::Volume", "properties": {"size": 1, "name": "data"}},
        "attach": {
            "type": "OS::Cinder::VolumeAttachment",
            "properties": {
                "instance_uuid": {"get_resource": "alpha"},
                "volume_id": {"get_resource": "vol"},
                "mountpoint": "/dev/vdb",
            },
        },
    }
    template = two_servers(free_cidr(), extra)
    template["outputs"]["attachments"] = {"value": {"get_attr": ["vol", "attachments_list"]}}
    outputs = cloud.push("vols", template)
    assert outputs["attachments"][0]["device"] == "/dev/vdb"
    alpha = data(cloud, "vols", "alpha")
    in_instance(alpha["init_pid"], "sh", "-c", "echo kept > /mnt/volumes/vdb/file")
    volume = Path(data(cloud, "vols", "vol")["path"])
    assert (volume / "file").read_text() == "kept\n"

    # Detaching (removing the attachment) leaves the volume's data, unmounted in the instance.
    template["resources"].pop("attach")
    template["outputs"].pop("attachments")
    cloud.push("vols", template)
    assert (volume / "file").exists()
    assert in_instance(alpha["init_pid"], "ls", "/mnt/volumes/vdb").strip() == ""

    cloud.delete("vols")
    assert not volume.exists()
    assert snapshot(data_dir) == before


def test_two_stacks_created_in_parallel(cloud: LocalCloud, data_dir: Path) -> None:
    before = snapshot(data_dir)
    results: dict[str, Any] = {}
    errors: list[BaseException] = []

    def create(name: str, cidr: str) -> None:
        try:
            results[name] = cloud.push(name, two_servers(cidr))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(f"par{i}", free_cidr())) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    shorts = {data(cloud, s, n)["short"] for s in results for n in ("alpha", "beta")}
    assert len(shorts) == 4
    for name in results:
        cloud.delete(name)
    assert snapshot(data_dir) == before
