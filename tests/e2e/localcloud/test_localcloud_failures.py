"""Bad templates, crashes and the host checks."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fornace.clouds.errors import TemplateInvalid, UnknownResourceType
from fornace.clouds.local import gc
from fornace.clouds.local.doctor import Verdict, run_checks
from fornace.clouds.local.driver import LocalCloud
from fornace.testing.localcloud import free_cidr, snapshot


def stack(cidr: str, **extra: Any) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": cidr},
        },
        "vm": {
            "type": "OS::Nova::Server",
            "properties": {
                "image": "host",
                "flavor": "m1.tiny",
                "networks": [{"network": {"get_resource": "net"}}],
                "user_data": "#!/bin/sh\nsleep 1000\n",
                "user_data_format": "RAW",
            },
        },
    }
    resources.update(extra)
    return {"heat_template_version": "2013-05-23", "resources": resources}


@pytest.mark.parametrize(
    ("template", "error", "words"),
    [
        (
            stack("CIDR", odd={"type": "OS::Trove::Instance"}),
            UnknownResourceType,
            "OS::Trove::Instance",
        ),
        (["not", "a", "mapping"], TemplateInvalid, "must be a mapping"),
        (
            {"resources": {"n": {"type": "OS::Neutron::Net"}}},
            TemplateInvalid,
            "heat_template_version",
        ),
        (stack("10.0.0.300/24"), TemplateInvalid, "not a valid CIDR"),
        (stack("10.77.3.9/24"), TemplateInvalid, "not a valid CIDR"),
        (
            stack(
                "CIDR",
                loop={"type": "OS::Neutron::Net", "depends_on": "loop2"},
                loop2={"type": "OS::Neutron::Net", "depends_on": "loop"},
            ),
            TemplateInvalid,
            "Circular",
        ),
        (
            stack(
                "CIDR",
                vm2={
                    "type": "OS::Nova::Server",
                    "properties": {"image": "windows", "flavor": "m1.tiny"},
                },
            ),
            TemplateInvalid,
            "image 'windows'",
        ),
        (
            stack(
                "CIDR",
                vm2={
                    "type": "OS::Nova::Server",
                    "properties": {"image": "host", "flavor": "m1.huge"},
                },
            ),
            TemplateInvalid,
            "flavor 'm1.huge'",
        ),
        (
            stack(
                "CIDR",
                vm2={
                    "type": "OS::Nova::Server",
                    "properties": {"image": "host", "flavor": "m1.tiny", "colour": "red"},
                },
            ),
            TemplateInvalid,
            "colour",
        ),
        (
            stack(
                "CIDR",
                vm2={
                    "type": "OS::Nova::Server",
                    "properties": {"image": "host", "flavor": {"get_param": "nope"}},
                },
            ),
            TemplateInvalid,
            "nope",
        ),
        (
            stack(
                "CIDR",
                att={
                    "type": "OS::Cinder::VolumeAttachment",
                    "properties": {"instance_uuid": {"get_resource": "ghost"}, "volume_id": "x"},
                },
            ),
            TemplateInvalid,
            "ghost",
        ),
    ],
)
def test_bad_templates_fail_clearly_and_leave_nothing(
    cloud: LocalCloud, data_dir: Path, template: Any, error: type, words: str
) -> None:
    subnet = template.get("resources", {}).get("subnet") if isinstance(template, dict) else None
    if subnet is not None:
        subnet["properties"]["cidr"] = subnet["properties"]["cidr"].replace("CIDR", free_cidr())
    before = snapshot(data_dir)
    with pytest.raises(error) as caught:
        cloud.push("bad", template)
    assert words in str(caught.value)
    assert caught.value.hint
    assert cloud.list_stacks() == []
    assert snapshot(data_dir) == before


def test_bad_update_leaves_the_running_stack_alone(cloud: LocalCloud, data_dir: Path) -> None:
    cidr = free_cidr()
    cloud.push("keep", stack(cidr))
    saved = cloud.state.load_stack("keep")
    # The instance's own processes come and go while it boots: compare the rest.
    before = dataclasses.replace(snapshot(data_dir), processes=frozenset())
    with pytest.raises(UnknownResourceType):
        cloud.push("keep", stack(cidr, extra={"type": "OS::Magnum::Cluster"}))
    with pytest.raises(TemplateInvalid, match="overlaps"):
        cloud.push("other", stack(cidr))
    assert cloud.state.load_stack("keep") == saved
    assert cloud.describe("keep").status == "CREATE_COMPLETE"
    assert dataclasses.replace(snapshot(data_dir), processes=frozenset()) == before


def test_gc_removes_what_a_lost_state_left(cloud: LocalCloud, data_dir: Path) -> None:
    before = snapshot(data_dir)
    cloud.push("crash", stack(free_cidr()))
    assert gc.find(cloud.state).empty()
    cloud.state.stack_file("crash").unlink()  # the driver "forgets" without deleting
    found = gc.find(cloud.state)
    assert found.netns and found.links and found.folders
    removed = gc.collect(cloud.state)
    assert removed.lines() == found.lines()
    assert gc.find(cloud.state).empty()
    assert snapshot(data_dir) == before


CRASHER = """
import sys
from fornace.clouds.local.driver import LocalCloud
from fornace.clouds.local import instance

real_boot = instance.boot
count = 0
def boot_then_die(spec):
    global count
    result = real_boot(spec)
    count += 1
    if count == 2:
        print("booted", flush=True)
        import time; time.sleep(60)
    return result
instance.boot = boot_then_die
import json
LocalCloud(sys.argv[1], max_parallel=1).push("crashy", json.loads(sys.argv[2]))
"""


def test_killed_driver_leaves_nothing_after_delete_and_gc(
    cloud: LocalCloud, data_dir: Path
) -> None:
    import json

    before = snapshot(data_dir)
    template = stack(
        free_cidr(),
        vm2={
            "type": "OS::Nova::Server",
            "properties": {
                "image": "host",
                "flavor": "m1.tiny",
                "networks": [{"network": {"get_resource": "net"}}],
            },
        },
        vm3={
            "type": "OS::Nova::Server",
            "properties": {
                "image": "host",
                "flavor": "m1.tiny",
                "networks": [{"network": {"get_resource": "net"}}],
            },
        },
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[3]))
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER, str(data_dir), json.dumps(template)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "booted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Two instances run, neither recorded as finished; the stack says it was in progress.
    assert cloud.describe("crashy").status == "CREATE_IN_PROGRESS"
    assert len(list((cloud.state.root / "instances").iterdir())) == 2
    cloud.delete("crashy")
    assert gc.find(cloud.state).empty()
    assert snapshot(data_dir) == before


def test_doctor_is_happy_here(cloud: LocalCloud) -> None:
    checks = run_checks(cloud.state)
    assert [c for c in checks if c.verdict is Verdict.FAIL] == []
    assert {c.name for c in checks} >= {
        "privileges",
        "tool ip",
        "tool unshare",
        "overlay",
        "leftovers",
    }


def test_doctor_names_a_missing_tool_and_its_fix(
    cloud: LocalCloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("ip", "nsenter", "mount", "chroot", "bash", "hostname", "nft", "umount"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    monkeypatch.setenv("PATH", str(bin_dir))
    checks = {c.name: c for c in run_checks(cloud.state)}
    assert checks["tool unshare"].verdict is Verdict.FAIL
    assert checks["tool unshare"].fix == "apt-get install util-linux"
    assert checks["tool ip"].verdict is Verdict.OK

    from fornace.cli.cloud import cloud as cloud_cli

    monkeypatch.setenv("FORNACE_DATA_DIR", str(cloud.state.root.parent))
    result = CliRunner().invoke(cloud_cli, ["doctor"])
    assert result.exit_code == 1
    assert "FAIL  tool unshare" in result.output
    assert "fix: apt-get install util-linux" in result.output


def test_cli_list_and_gc(cloud: LocalCloud, monkeypatch: pytest.MonkeyPatch) -> None:
    from fornace.cli.cloud import cloud as cloud_cli

    monkeypatch.setenv("FORNACE_DATA_DIR", str(cloud.state.root.parent))
    cloud.push("listed", stack(free_cidr()))
    result = CliRunner().invoke(cloud_cli, ["list"])
    assert result.exit_code == 0, result.output
    assert "listed  CREATE_COMPLETE" in result.output
    assert "vm  ACTIVE  10." in result.output
    cloud.state.stack_file("listed").unlink()
    result = CliRunner().invoke(cloud_cli, ["gc", "--dry-run"])
    assert "would remove namespace fornace-" in result.output
    result = CliRunner().invoke(cloud_cli, ["gc"])
    assert "removed namespace fornace-" in result.output
    assert CliRunner().invoke(cloud_cli, ["gc"]).output.strip() == "No leftovers."
    time.sleep(0)


def test_dead_instance_is_reported_and_rebuilt_on_push(cloud: LocalCloud, data_dir: Path) -> None:
    before = snapshot(data_dir)
    template = stack(free_cidr())
    cloud.push("heal", template)
    old = cloud.state.load_stack("heal")["resources"]["vm"]["data"]  # type: ignore[index]
    os.kill(old["init_pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while True:
        status = {r.name: r.attributes.get("status") for r in cloud.describe("heal").resources}
        if status["vm"] == "SHUTOFF":
            break
        assert time.monotonic() < deadline
        time.sleep(0.02)
    cloud.push("heal", template)
    new = cloud.state.load_stack("heal")["resources"]["vm"]["data"]  # type: ignore[index]
    assert new["netns"] != old["netns"]
    assert {r.name: r.attributes.get("status") for r in cloud.describe("heal").resources}[
        "vm"
    ] == "ACTIVE"
    assert not Path(f"/run/netns/{old['netns']}").exists()
    cloud.delete("heal")
    assert snapshot(data_dir) == before


def test_instance_that_cannot_boot_fails_the_stack_and_leaves_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    from fornace.clouds.errors import ResourceFailed

    bus = tmp_path / "gone"
    bus.mkdir()
    broken = LocalCloud(data_dir, bind_mounts=[(str(bus), "/bus")])
    bus.rmdir()  # the bind mount's source disappears: the instance's mounts fail
    before = snapshot(data_dir)
    with pytest.raises(ResourceFailed) as caught:
        broken.push("doomed", stack(free_cidr()))
    assert "did not boot" in str(caught.value) and "gone" in (caught.value.cause or "")
    assert broken.describe("doomed").status == "CREATE_FAILED"
    assert [
        r.type for r in broken.describe("doomed").resources if r.type == "OS::Nova::Server"
    ] == []
    broken.delete("doomed")
    assert gc.find(broken.state).empty()
    assert snapshot(data_dir) == before


NO_ADMIN = """
import sys
from fornace.clouds.errors import HostNotReady
from fornace.clouds.local.driver import LocalCloud
cloud = LocalCloud(sys.argv[1])
try:
    cloud.push("s", {"heat_template_version": "2013-05-23",
                     "resources": {"n": {"type": "OS::Neutron::Net"}}})
except HostNotReady as exc:
    print(exc.message, "|", exc.hint, "|", cloud.list_stacks())
"""


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_without_admin_capabilities_push_says_so(data_dir: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[3]))
    done = subprocess.run(
        [
            "setpriv",
            "--bounding-set=-sys_admin",
            "--inh-caps=-sys_admin",
            sys.executable,
            "-c",
            NO_ADMIN,
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    message, hint, stacks = done.stdout.strip().split(" | ")
    assert "needs root" in message and "Run the engine as root" in hint
    assert stacks == "[]"
