"""API request statistics (one ApiStats row per API host) and instance statistics."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fornace.db.base import utcnow
from fornace.db.models import ApiStats, InstanceStats


@dataclass
class Counters:
    """Requests seen since the last flush."""

    requests: int = 0
    errors: int = 0
    total_seconds: float = 0.0
    per_tenant: dict[str, int] = field(default_factory=dict)


def add_counters(db: Session, host: str, counters: Counters, elapsed: float,
                 cpu_count: int, cpu_percent: float) -> ApiStats:
    """Fold ``counters`` (collected over ``elapsed`` seconds) into the host's row."""
    row = db.scalars(select(ApiStats).where(ApiStats.host == host)).first()
    if row is None:
        row = ApiStats(host=host, request_count=0, error_count=0, average_response_time=0.0,
                       requests_per_tenant="{}", requests_per_second=0.0,
                       errors_per_second=0.0, cpu_count=cpu_count, cpu_percent=cpu_percent)
        db.add(row)
    total = row.request_count + counters.requests
    if total:
        row.average_response_time = (row.average_response_time * row.request_count
                                     + counters.total_seconds) / total
    row.request_count = total
    row.error_count += counters.errors
    per_tenant = json.loads(row.requests_per_tenant or "{}")
    for tenant, count in counters.per_tenant.items():
        per_tenant[tenant] = per_tenant.get(tenant, 0) + count
    row.requests_per_tenant = json.dumps(per_tenant, sort_keys=True)
    if elapsed > 0:
        row.requests_per_second = counters.requests / elapsed
        row.errors_per_second = counters.errors / elapsed
    row.cpu_count = cpu_count
    row.cpu_percent = cpu_percent
    row.updated = utcnow()
    db.flush()
    return row


def api_rows(db: Session) -> Sequence[ApiStats]:
    return db.scalars(select(ApiStats).order_by(ApiStats.id)).all()


def instances(db: Session, environment_id: str,
              instance_id: str | None = None) -> Sequence[InstanceStats]:
    query = select(InstanceStats).where(InstanceStats.environment_id == environment_id)
    if instance_id is not None:
        query = query.where(InstanceStats.instance_id == instance_id)
    return db.scalars(query.order_by(InstanceStats.id)).all()
