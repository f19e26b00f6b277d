"""``io.murano.system.InstanceNotifier``: instance statistics events.

Murano sent ``murano.track_instance`` / ``murano.untrack_instance`` notifications
for billing. Fornace hands the same payload to ``services.notify`` when the engine
gives one, and otherwise only logs it.
"""

from __future__ import annotations

import logging
from typing import Any

from fornace.corelib.system._base import SystemPart, object_id
from fornace.dsl import murano_method

log = logging.getLogger(__name__)

# Murano's instance types: 0 cloud instance, 100 application
CLOUD_INSTANCE = 0
APPLICATION = 100


class InstanceNotifier(SystemPart):
    def __init__(self, this: Any, environment: Any = None, **_: Any) -> None:
        super().__init__(this)
        self.environment_id = object_id(environment) if environment is not None \
            else self.services.environment_id

    def _send(self, event: str, payload: dict[str, Any]) -> None:
        payload = {"environment": self.environment_id, **payload}
        notify = getattr(self.services, "notify", None)
        if notify is not None:
            notify(event, payload)
        else:
            log.info("%s %s", event, payload)

    def _track(self, obj: Any, kind: int, title: Any = None, unit_count: Any = None) -> None:
        self._send("murano.track_instance", {
            "instance": object_id(obj), "instance_type": kind,
            "type_name": obj.type.name, "type_title": title, "unit_count": unit_count,
            "tenant_id": self.services.project_id})

    @murano_method
    def track_cloud_instance(self, instance: Any) -> None:
        self._track(instance, CLOUD_INSTANCE)

    @murano_method
    def untrack_cloud_instance(self, instance: Any) -> None:
        self._send("murano.untrack_instance", {"instance": object_id(instance),
                                               "instance_type": CLOUD_INSTANCE})

    @murano_method
    def track_application(self, instance: Any, title: Any = None, unit_count: Any = None) -> None:
        self._track(instance, APPLICATION, title, unit_count)

    @murano_method
    def untrack_application(self, instance: Any) -> None:
        self._send("murano.untrack_instance", {"instance": object_id(instance),
                                               "instance_type": APPLICATION})
