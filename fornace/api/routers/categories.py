"""Routes: categories of the catalog, /v1/catalog/categories (Murano's routes 35-38)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from fornace.api.deps import Ctx, Db
from fornace.api.schemas.categories import (
    CategoryCreate,
    CategoryDetail,
    CategoryList,
    CategoryOut,
    category_name,
    parse_category_query,
)
from fornace.api.uploads import read_limited_body
from fornace.auth.policy import authorize
from fornace.db.repositories import categories

router = APIRouter(prefix="/catalog/categories", tags=["categories"])

CREATE_BODY_LIMIT = 64 * 1024


@router.get("", response_model=CategoryList)
def list_categories(request: Request, ctx: Ctx, db: Db) -> JSONResponse:
    authorize(ctx, "get_category")
    query = parse_category_query(request.query_params.multi_items())
    found, next_marker = categories.list_categories(
        db, ctx, sort_keys=query.sort_keys, sort_dir=query.sort_dir, limit=query.limit,
        marker=query.marker)
    body: dict[str, object] = {"categories": found}
    if next_marker is not None:
        body["next_marker"] = next_marker
    return JSONResponse(body)


@router.get("/{category_id}", response_model=CategoryDetail)
def show_category(category_id: str, ctx: Ctx, db: Db) -> JSONResponse:
    authorize(ctx, "get_category")
    return JSONResponse(categories.get_category(db, ctx, category_id))


@router.post("", response_model=CategoryOut,
             openapi_extra={"requestBody": {"content": {"application/json": {
                 "schema": CategoryCreate.model_json_schema()}}}})
async def create_category(request: Request, ctx: Ctx, db: Db) -> JSONResponse:
    authorize(ctx, "add_category")
    name = category_name(await read_limited_body(request.stream(), CREATE_BODY_LIMIT,
                                                 "category body"))
    return JSONResponse(await run_in_threadpool(categories.create_category, db, ctx, name))


@router.delete("/{category_id}")
def delete_category(category_id: str, ctx: Ctx, db: Db) -> Response:
    authorize(ctx, "delete_category")
    categories.delete_category(db, category_id)
    return Response(status_code=200, media_type="application/json")
