"""The io.murano core library: MuranoPL packages plus Python system classes.

The engine builds one :class:`EngineServices` per task, then::

    registry = build_registry(services)
    core = DirectoryPackageSource([core_packages_dir()], parser_for((1, 4)))
    source = CombinedPackageSource(core, catalog_source)
    session = Session(source, system_classes=registry, ...)

``core_packages_dir()`` holds the package folders ``io.murano`` and
``io.murano.applications``; ``build_registry`` registers every
``io.murano.system.*`` Python class bound to the task's services.
See docs/corelib.md.
"""

from __future__ import annotations

from pathlib import Path

from fornace.corelib.agents import SpoolAgentBroker
from fornace.corelib.services import AgentBroker, AgentChannel, EngineServices, build_registry
from fornace.corelib.userdata import agent_user_data, instance_bus_folder

PACKAGES_DIR = Path(__file__).parent / "packages"


def core_packages_dir() -> Path:
    """Folder holding the package folders ``io.murano/`` and ``io.murano.applications/``."""
    return PACKAGES_DIR


def sample_package_dirs() -> list[Path]:
    """Folders of the sample application packages ``fornace serve`` imports at first start."""
    from fornace.corelib.samples import sample_package_dirs as _dirs
    return _dirs()


__all__ = ["AgentBroker", "AgentChannel", "EngineServices", "SpoolAgentBroker", "agent_user_data",
           "build_registry", "core_packages_dir", "instance_bus_folder", "sample_package_dirs"]
