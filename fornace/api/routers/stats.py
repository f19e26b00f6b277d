"""Routes: GET /stats, request counters per API host."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fornace.api.deps import Ctx, Db
from fornace.api.schemas.stats import api_stats_out
from fornace.db.repositories import stats

router = APIRouter(tags=["stats"])


@router.get("/stats")
def list_stats(request: Request, ctx: Ctx, db: Db) -> list[dict[str, Any]]:
    collector = getattr(request.app.state, "request_stats", None)
    if collector is not None:
        collector.flush()
    return [api_stats_out(row) for row in stats.api_rows(db)]
