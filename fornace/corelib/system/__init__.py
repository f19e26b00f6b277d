"""Python parts of ``io.murano.system.*`` (FQN -> class; ``services`` is bound per task)."""

from __future__ import annotations

from fornace.corelib.system.agent import Agent, AgentListener
from fornace.corelib.system.heat_stack import HeatStack
from fornace.corelib.system.instance_notifier import InstanceNotifier
from fornace.corelib.system.mistral import MistralClient
from fornace.corelib.system.net_explorer import NetworkExplorer
from fornace.corelib.system.resources import Resources
from fornace.corelib.system.status_reporter import StatusReporter

SYSTEM_CLASSES: dict[str, type] = {
    "io.murano.system.Agent": Agent,
    "io.murano.system.AgentListener": AgentListener,
    "io.murano.system.HeatStack": HeatStack,
    "io.murano.system.InstanceNotifier": InstanceNotifier,
    "io.murano.system.MistralClient": MistralClient,
    "io.murano.system.NetworkExplorer": NetworkExplorer,
    "io.murano.system.Resources": Resources,
    "io.murano.system.StatusReporter": StatusReporter,
}

__all__ = ["SYSTEM_CLASSES"]
