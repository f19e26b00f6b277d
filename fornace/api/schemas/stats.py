"""Request and instance statistics as the API returns them."""

from __future__ import annotations

from typing import Any

from fornace.api.schemas._time import timestamp
from fornace.db.base import utcnow
from fornace.db.models import ApiStats, InstanceStats


def api_stats_out(row: ApiStats) -> dict[str, Any]:
    return {"id": row.id, "host": row.host, "request_count": row.request_count,
            "error_count": row.error_count, "average_response_time": row.average_response_time,
            "requests_per_tenant": row.requests_per_tenant,
            "requests_per_second": row.requests_per_second,
            "errors_per_second": row.errors_per_second, "cpu_count": row.cpu_count,
            "cpu_percent": row.cpu_percent, "created": timestamp(row.created),
            "updated": timestamp(row.updated)}


def duration(row: InstanceStats) -> int:
    end = row.destroyed or utcnow()
    return max(0, int((end - row.created).total_seconds()))


def instance_out(row: InstanceStats) -> dict[str, Any]:
    return {"type": row.instance_type, "duration": duration(row), "type_name": row.type_name,
            "type_title": row.type_title, "unit_count": row.unit_count,
            "instance_id": row.instance_id, "active": row.destroyed is None}


def aggregated(rows: list[InstanceStats]) -> list[dict[str, Any]]:
    by_type: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_type.setdefault(row.instance_type,
                                   {"type": row.instance_type, "duration": 0, "count": 0})
        entry["duration"] += duration(row)
        entry["count"] += 1
    return [by_type[k] for k in sorted(by_type)]
