"""``io.murano.system.StatusReporter``: deployment messages for the environment's log."""

from __future__ import annotations

import datetime
from typing import Any

from fornace.corelib.system._base import SystemPart, object_id
from fornace.dsl import murano_method


class StatusReporter(SystemPart):
    def __init__(self, this: Any, environment: Any = None, **_: Any) -> None:
        super().__init__(this)
        env = environment if environment is not None else this.find_owner("io.murano.Environment")
        self.environment_id = object_id(env) if env is not None else self.services.environment_id

    def _report(self, obj: Any, message: Any, details: Any, level: str) -> None:
        self.services.report({
            "id": object_id(obj) if obj is not None else self.environment_id,
            "text": "" if message is None else str(message),
            "details": details,
            "level": level,
            "environment_id": self.services.environment_id or self.environment_id,
            "timestamp": datetime.datetime.now(datetime.UTC).isoformat(),
        })

    @murano_method
    def report(self, obj: Any, msg: Any) -> None:
        self._report(obj, msg, None, "info")

    @murano_method
    def report_error(self, obj: Any, msg: Any) -> None:
        self._report(obj, msg, None, "error")
