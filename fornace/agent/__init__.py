"""The agent that runs Murano execution plans on an instance (see docs/agent.md).

It imports nothing of the service (api, db, engine, dsl): only fornace.bus. Names
load lazily so the per-plan process (``fornace.agent.plan_process``) starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Agent": "fornace.agent.service",
    "AgentConfig": "fornace.agent.service",
    "DEFAULT_PLAN_TIMEOUT": "fornace.agent.service",
    "validate_plan": "fornace.agent.plan",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'fornace.agent' has no attribute {name!r}")
