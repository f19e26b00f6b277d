"""What the system classes of one task may use, and the registry bound to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from fornace.dsl import SystemRegistry, default_registry

if TYPE_CHECKING:
    from fornace.clouds.base import CloudDriver


class AgentChannel(Protocol):
    """Engine side of one environment's agent traffic (``fornace.bus.AgentClient`` fits)."""

    def call(self, queue: str, plan: dict[str, Any], timeout: float) -> dict[str, Any]: ...

    def send(self, queue: str, plan: dict[str, Any]) -> str: ...


class AgentBroker(Protocol):
    """Gives ``io.murano.system.Agent`` its channel and tells instances where the bus is.

    ``fornace.corelib.agents.SpoolAgentBroker`` is the local-cloud implementation.
    """

    def channel(self) -> AgentChannel:
        """The AgentClient of this environment (one result queue, shared by its instances)."""
        ...

    def declare(self, queue: str) -> None:
        """Create an instance's input queue before its agent starts."""
        ...

    def agent_bus_url(self) -> str:
        """The bus URL as seen from inside an instance (``spool:///var/lib/fornace-bus``...)."""
        ...

    def result_queue(self) -> str: ...

    def public_key_pem(self) -> str:
        """PEM of the plan-signing public key ('' when plans are not signed)."""
        ...


@dataclass
class EngineServices:
    """Per task: ids, where reports go, the cloud and the agents."""

    environment_id: str
    project_id: str
    user_id: str
    report: Callable[[dict[str, Any]], None]
    cloud: CloudDriver | None = None
    agents: AgentBroker | None = None
    config: dict[str, Any] = field(default_factory=dict)
    # murano.track_instance / murano.untrack_instance (event type, payload); None = logged only
    notify: Callable[[str, dict[str, Any]], None] | None = None


def build_registry(services: EngineServices) -> SystemRegistry:
    """The interpreter's registry plus every ``io.murano.system.*`` class bound to ``services``."""
    from fornace.corelib.system import SYSTEM_CLASSES

    registry = default_registry()
    for fqn, python_class in SYSTEM_CLASSES.items():
        bound = type(python_class.__name__, (python_class,), {"services": services})
        registry.register(fqn, bound, package="io.murano")
    return registry
