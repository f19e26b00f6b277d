"""Fixtures of the core library tests: a session over io.murano + the probe package."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fornace.corelib import EngineServices, build_registry, core_packages_dir
from fornace.dsl import DirectoryPackageSource, Session, parser_for

HERE = Path(__file__).parent
PROBE_PACKAGES = HERE / "packages"


class Reports(list):
    def texts(self) -> list[str]:
        return [r["text"] for r in self]


def make_session(services: EngineServices, *extra_dirs: Path) -> Session:
    source = DirectoryPackageSource([core_packages_dir(), PROBE_PACKAGES, *extra_dirs],
                                    parser_for((1, 4)))
    return Session(source, system_classes=build_registry(services))


def env_model(env_id: str, apps: list[dict[str, Any]], *, network: bool = True) -> dict[str, Any]:
    default_networks: dict[str, Any] = {"environment": None, "flat": None}
    if network:
        default_networks["environment"] = {
            "?": {"type": "io.murano.resources.NeutronNetwork", "id": uuid.uuid4().hex},
            "name": "probe-network"}
    return {"Objects": {"?": {"type": "io.murano.Environment", "id": env_id},
                        "name": "probe", "defaultNetworks": default_networks,
                        "applications": apps}}


@pytest.fixture
def reports() -> Reports:
    return Reports()


@pytest.fixture
def services_factory(reports: Reports) -> Callable[..., EngineServices]:
    def build(**kwargs: Any) -> EngineServices:
        values: dict[str, Any] = {"environment_id": uuid.uuid4().hex, "project_id": "p1",
                                  "user_id": "u1", "report": reports.append}
        values.update(kwargs)
        return EngineServices(**values)
    return build


def host_snapshot() -> tuple[set[str], set[str]]:
    """Network namespaces and mount points of the host (what an instance must not leave)."""
    import subprocess
    netns = set(subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                               check=False).stdout.split("\n")) - {""}
    mounts = {line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()}
    return netns, mounts


def local_cloud_missing() -> str | None:
    import os
    import shutil
    if os.geteuid() != 0:
        return "needs root (network namespaces, mounts)"
    absent = [t for t in ("ip", "unshare", "nsenter", "mount", "chroot") if not shutil.which(t)]
    if absent:
        return f"needs {', '.join(absent)}"
    return None


@pytest.fixture
def local_env(request: pytest.FixtureRequest, tmp_path: Path,
              services_factory: Callable[..., EngineServices]) -> Any:
    """Services on a real LocalCloud with the environment's own agent spool; strict cleanup.

    Parametrised indirectly with ``"signed"``, plans are signed and agents verify them.
    """
    import subprocess

    from fornace.clouds.local import gc
    from fornace.clouds.local.driver import LocalCloud
    from fornace.corelib import SpoolAgentBroker

    reason = local_cloud_missing()
    if reason:
        pytest.skip(reason)
    subprocess.run(["ip", "netns", "add", "fornace-warmup"], capture_output=True, check=False)
    subprocess.run(["ip", "netns", "del", "fornace-warmup"], capture_output=True, check=False)
    before = host_snapshot()
    data_dir = tmp_path / "data"
    env_id = uuid.uuid4().hex
    signer = None
    if getattr(request, "param", None) == "signed":
        from cryptography.hazmat.primitives.asymmetric import rsa

        from fornace.bus import PlanSigner
        signer = PlanSigner(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    broker = SpoolAgentBroker(data_dir, env_id, signer=signer)
    cloud = LocalCloud(data_dir, bind_mounts=[broker.bind_mount()])
    services = services_factory(environment_id=env_id, cloud=cloud, agents=broker,
                                config={"agent_timeout": 120})
    try:
        yield services
    finally:
        for name in cloud.list_stacks():
            cloud.delete(name)
        broker.remove()
        assert not broker.folder.exists()
        leftovers = gc.find(cloud.state)
        assert leftovers.empty(), leftovers.lines()
        assert host_snapshot() == before
