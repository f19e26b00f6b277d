"""Routes: instance statistics of an environment (raw and aggregated)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from fornace.api.deps import Ctx, Db
from fornace.api.schemas.stats import aggregated, instance_out
from fornace.auth.policy import authorize
from fornace.db.repositories import environments, stats

router = APIRouter(prefix="/environments/{environment_id}/instance-statistics",
                   tags=["instance statistics"])


@router.get("/raw")
def environment_instances(environment_id: str, ctx: Ctx, db: Db) -> list[dict[str, Any]]:
    authorize(ctx, "get_statistics")
    env = environments.get(db, ctx, environment_id)
    return [instance_out(r) for r in stats.instances(db, env.id)]


@router.get("/raw/{instance_id}")
def instance(environment_id: str, instance_id: str, ctx: Ctx, db: Db) -> list[dict[str, Any]]:
    authorize(ctx, "get_instance_statistics")
    env = environments.get(db, ctx, environment_id)
    return [instance_out(r) for r in stats.instances(db, env.id, instance_id)]


@router.get("/aggregated")
def aggregated_instances(environment_id: str, ctx: Ctx, db: Db) -> list[dict[str, Any]]:
    authorize(ctx, "get_aggregated_statistics")
    env = environments.get(db, ctx, environment_id)
    return aggregated(list(stats.instances(db, env.id)))
