"""The versions document: GET / (and any path outside /v1), no auth."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse

router = APIRouter()


def versions_document(request: Request) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return {"versions": [{"id": "v1.0", "status": "CURRENT",
                          "links": [{"rel": "self", "href": f"{base}/v1/"}]}]}


@router.get("/", include_in_schema=False)
def show_versions(request: Request) -> JSONResponse:
    return JSONResponse(versions_document(request), status_code=300)
