"""Per-host API request counters, kept in memory and folded into ApiStats now and then.

The middleware only bumps counters under a lock; the database is written when
GET /v1/stats reads it, or at most once per ``flush_interval`` seconds.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from fornace.db.repositories.stats import Counters, add_counters
from fornace.db.session import transaction

log = logging.getLogger(__name__)


def cpu_percent() -> float:
    """Load over the last minute as a share of the CPUs (no extra dependency)."""
    try:
        return round(min(100.0, os.getloadavg()[0] / (os.cpu_count() or 1) * 100), 1)
    except OSError:
        return 0.0


class RequestStatsCollector:
    def __init__(self, factory: sessionmaker[Session], *, host: str | None = None,
                 flush_interval: float = 60.0) -> None:
        self.factory = factory
        self.host = (host or socket.gethostname())[:80]
        self.flush_interval = flush_interval
        self._lock = threading.Lock()
        self._counters = Counters()
        self._since = time.monotonic()

    def record(self, tenant: str | None, seconds: float, failed: bool) -> None:
        with self._lock:
            counters = self._counters
            counters.requests += 1
            counters.errors += int(failed)
            counters.total_seconds += seconds
            if tenant:
                counters.per_tenant[tenant] = counters.per_tenant.get(tenant, 0) + 1

    def due(self) -> bool:
        return time.monotonic() - self._since >= self.flush_interval

    def flush(self) -> None:
        """Write what was counted since the last flush (one transaction)."""
        with self._lock:
            counters, self._counters = self._counters, Counters()
            elapsed, self._since = time.monotonic() - self._since, time.monotonic()
        if not counters.requests:
            return
        try:
            with transaction(self.factory) as db:
                add_counters(db, self.host, counters, elapsed, os.cpu_count() or 1,
                             cpu_percent())
        except Exception:
            log.exception("could not store API request statistics; they are kept for later")
            with self._lock:
                self._merge_back(counters)

    def _merge_back(self, counters: Counters) -> None:
        current = self._counters
        current.requests += counters.requests
        current.errors += counters.errors
        current.total_seconds += counters.total_seconds
        for tenant, count in counters.per_tenant.items():
            current.per_tenant[tenant] = current.per_tenant.get(tenant, 0) + count
