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
