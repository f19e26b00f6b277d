"""Routes: deployments (tasks) of an environment or a project, and their reports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from fornace.api.deps import Ctx, Db
from fornace.api.schemas.deployments import deployment_out, report_out
from fornace.auth.context import RequestContext
from fornace.auth.policy import authorize
from fornace.db.repositories import environments, tasks

router = APIRouter(tags=["deployments"])


def _listing(db: Session, ctx: RequestContext, environment_id: str | None) -> dict[str, Any]:
    found, counts = tasks.list_for(db, ctx, environment_id)
    return {"deployments": [deployment_out(t, counts.get(t.id, {})) for t in found]}


@router.get("/environments/{environment_id}/deployments")
def list_deployments(environment_id: str, ctx: Ctx, db: Db) -> dict[str, Any]:
    env = environments.get(db, ctx, environment_id)
    authorize(ctx, "list_deployments")
    return _listing(db, ctx, env.id)


@router.get("/deployments")
def list_project_deployments(ctx: Ctx, db: Db) -> dict[str, Any]:
    authorize(ctx, "list_deployments_all_environments")
    return _listing(db, ctx, None)


@router.get("/environments/{environment_id}/deployments/{deployment_id}")
def list_reports(environment_id: str, deployment_id: str, ctx: Ctx, db: Db,
                 service_id: list[str] = Query(default=[])) -> dict[str, Any]:  # noqa: B008
    authorize(ctx, "statuses_deployments")
    env = environments.get(db, ctx, environment_id)
    task = tasks.get_in_environment(db, env.id, deployment_id)
    found = tasks.reports(db, task, env.description or {}, service_id)
    return {"reports": [report_out(s) for s in found]}
