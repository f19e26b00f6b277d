"""Request ids, the access log, /stats counters and instance statistics (§9)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from _env_helpers import ALICE, BOB, EnvApi, auth, ok

from fornace.db.base import utcnow
from fornace.db.models import InstanceStats


def test_every_answer_has_a_request_id(api: httpx.Client) -> None:
    answers = [api.get("/v1/environments", headers=auth(ALICE)),
               api.get("/v1/nowhere", headers=auth(ALICE)),
               api.get("/v1/environments", headers={"X-Auth-Token": ""}),
               api.get("/", headers={"X-Auth-Token": ""})]
    request_ids = [r.headers.get("X-Openstack-Request-Id", "") for r in answers]
    assert all(rid.startswith("req-") and len(rid) == 40 for rid in request_ids)
    assert len(set(request_ids)) == len(answers)


def test_access_log_line_without_secrets(api: httpx.Client, env_api: EnvApi,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="fornace.api.access")
    env = env_api.create_env("logged", password="hunter2")
    resp = api.get(f"/v1/environments/{env['id']}?x=token-in-query", headers=auth(ALICE))
    request_id = resp.headers["X-Openstack-Request-Id"]
    [line] = [r.getMessage() for r in caplog.records if request_id in r.getMessage()]
    parts = line.split()
    assert parts[:5] == [request_id, "proj-a", "GET", "/v1/environments/{environment_id}", "200"]
    assert parts[5].endswith("ms")
    text = caplog.text
    assert "hunter2" not in text and ALICE not in text and "token-in-query" not in text


def test_stats_counts_requests_per_tenant(api: httpx.Client) -> None:
    for _ in range(3):
        api.get("/v1/environments", headers=auth(ALICE))
    api.get("/v1/environments/" + "0" * 32, headers=auth(BOB))
    [row] = ok(api.get("/v1/stats", headers=auth(ALICE)))
    assert set(row) == {"id", "host", "request_count", "error_count", "average_response_time",
                        "requests_per_tenant", "requests_per_second", "errors_per_second",
                        "cpu_count", "cpu_percent", "created", "updated"}
    assert row["request_count"] == 4 and row["error_count"] == 1
    assert json.loads(row["requests_per_tenant"]) == {"proj-a": 3, "proj-b": 1}
    assert row["average_response_time"] > 0 and row["cpu_count"] >= 1
    [again] = ok(api.get("/v1/stats", headers=auth(ALICE)))
    assert again["request_count"] == 5  # the first /stats read is counted now


def test_stats_are_not_written_per_request(api: httpx.Client, db_engine: Any) -> None:
    from sqlalchemy import func, select

    from fornace.db.models import ApiStats

    for _ in range(5):
        api.get("/v1/environments", headers=auth(ALICE))
    with db_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ApiStats)) == 0


def test_instance_statistics(env_api: EnvApi, api: httpx.Client, engine_side: Any) -> None:
    env = env_api.create_env("stats")
    now = utcnow()
    engine_side(lambda db: db.add_all([
        InstanceStats(environment_id=env["id"], instance_id="vm-1", instance_type=200,
                      created=now - timedelta(seconds=100), destroyed=now - timedelta(seconds=40),
                      type_name="io.murano.resources.Instance", tenant_id="proj-a"),
        InstanceStats(environment_id=env["id"], instance_id="app-1", instance_type=100,
                      created=now - timedelta(seconds=30), type_name="com.example.App",
                      type_title="App", unit_count=2, tenant_id="proj-a")]))
    base = f"/v1/environments/{env['id']}/instance-statistics"
    raw = ok(api.get(base + "/raw", headers=auth(ALICE)))
    assert [(r["instance_id"], r["type"], r["active"]) for r in raw] == [
        ("vm-1", 200, False), ("app-1", 100, True)]
    assert raw[0]["duration"] == 60 and raw[1]["duration"] >= 30
    assert set(raw[0]) == {"type", "duration", "type_name", "type_title", "unit_count",
                           "instance_id", "active"}
    one = ok(api.get(base + "/raw/app-1", headers=auth(ALICE)))
    assert [r["unit_count"] for r in one] == [2]
    aggregated = ok(api.get(base + "/aggregated", headers=auth(ALICE)))
    assert [(a["type"], a["count"]) for a in aggregated] == [(100, 1), (200, 1)]
