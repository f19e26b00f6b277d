"""Routes: the package catalog, /v1/catalog/packages (Murano's routes 26-34)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from fornace.api.deps import AppSettings, Ctx, Db
from fornace.api.errors import NotAcceptable
from fornace.api.schemas.packages import (
    PATCH_CONTENT_TYPE,
    PackageList,
    PackageOut,
    parse_package_patch,
    parse_package_query,
    upload_options,
)
from fornace.api.uploads import PackageUpload, read_limited_body, read_package_upload
from fornace.auth.context import RequestContext
from fornace.auth.policy import allowed, authorize
from fornace.catalog import load_package
from fornace.config import Settings
from fornace.db.repositories import packages
from fornace.db.repositories.package_search import search_packages
from fornace.errors import InvalidInput

router = APIRouter(prefix="/catalog/packages", tags=["packages"])

OCTET_STREAM = "application/octet-stream"
PATCH_BODY_LIMIT = 1024 * 1024


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _check_accept(request: Request, offered: str) -> None:
    """Murano answers 406 when the Accept header rules out the one type a route offers."""
    accept = request.headers.get("accept")
    if not accept:
        return
    kind = offered.split("/", 1)[0]
    for item in accept.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        if any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params):
            continue
        if media.lower() in (offered, f"{kind}/*", "*/*", ""):
            return
    raise NotAcceptable(f"this resource is only available as {offered}, not {accept}",
                        hint=f"send 'Accept: {offered}' or no Accept header")


@router.get("", response_model=PackageList)
def list_packages(request: Request, ctx: Ctx, db: Db, settings: AppSettings) -> JSONResponse:
    authorize(ctx, "get_package")
    manage_public = allowed(ctx, "manage_public_package")
    query = parse_package_query(request.query_params.multi_items(),
                                limit_default=settings.api_limit_default,
                                limit_max=settings.api_limit_max)
    found, next_marker = search_packages(db, ctx, query, manage_public=manage_public)
    body: dict[str, object] = {"packages": found}
    if next_marker is not None:
        body["next_marker"] = next_marker
    return JSONResponse(body)


def _store_upload(db: Session, ctx: RequestContext, upload: PackageUpload,
                  settings: Settings) -> dict[str, object]:
    options = upload_options(upload.metadata)
    if options.is_public:
        authorize(ctx, "publicize_package")
    loaded = load_package(upload.archive, size_limit=settings.package_size_limit)
    package = packages.create_package(db, ctx, loaded, options)
    return packages.package_dict(db, package.id)


@router.post("", response_model=PackageOut)
async def upload_package(request: Request, ctx: Ctx, db: Db,
                         settings: AppSettings) -> JSONResponse:
    authorize(ctx, "upload_package")
    upload = await read_package_upload(request.headers.get("content-type"),
                                       request.headers.get("content-length"),
                                       request.stream(), settings.package_size_limit)
    return JSONResponse(await run_in_threadpool(_store_upload, db, ctx, upload, settings))


@router.get("/{package_id}", response_model=PackageOut)
def show_package(package_id: str, ctx: Ctx, db: Db) -> JSONResponse:
    authorize(ctx, "get_package")
    package = packages.get_package(db, ctx, package_id)
    return JSONResponse(packages.package_dict(db, package.id))


@router.patch("/{package_id}", response_model=PackageOut)
async def update_package(package_id: str, request: Request, ctx: Ctx,
                         db: Db) -> JSONResponse:
    authorize(ctx, "modify_package")
    body = await read_limited_body(request.stream(), PATCH_BODY_LIMIT, "patch document")
    return JSONResponse(await run_in_threadpool(
        _update, db, ctx, package_id, request.headers.get("content-type"), body))


def _update(db: Session, ctx: RequestContext, package_id: str, content_type: str | None,
            body: bytes) -> dict[str, object]:
    package = packages.get_package(db, ctx, package_id)
    if package.is_public:
        authorize(ctx, "manage_public_package")
    packages.check_owner(ctx, package)
    if _media_type(content_type) != PATCH_CONTENT_TYPE:
        raise InvalidInput(f"Content-Type must be '{PATCH_CONTENT_TYPE}'",
                           hint=f"send the JSON patch with 'Content-Type: {PATCH_CONTENT_TYPE}'",
                           reference="patch-content-type")
    changes = parse_package_patch(body)
    if not package.is_public and any(c.path == "is_public" and c.value is True
                                     for c in changes):
        authorize(ctx, "publicize_package")
    packages.update_package(db, package, changes)
    return packages.package_dict(db, package.id)


@router.delete("/{package_id}")
def delete_package(package_id: str, ctx: Ctx, db: Db) -> Response:
    authorize(ctx, "delete_package")
    package = packages.get_package(db, ctx, package_id)
    if package.is_public:
        authorize(ctx, "manage_public_package")
    packages.check_owner(ctx, package)
    packages.delete_package(db, package)
    return Response(status_code=200, media_type="application/json")


def _blob(request: Request, ctx: RequestContext, db: Session, package_id: str, column: str,
          media_type: str) -> Response:
    _check_accept(request, media_type)
    package = packages.get_package(db, ctx, package_id)
    value = packages.read_blob(db, package, column)
    return Response(content=value or b"", media_type=media_type)


@router.get("/{package_id}/ui", response_class=Response)
def show_package_ui(package_id: str, request: Request, ctx: Ctx, db: Db) -> Response:
    authorize(ctx, "get_package")
    return _blob(request, ctx, db, package_id, "ui_definition", "text/plain")


@router.get("/{package_id}/logo", response_class=Response)
def show_package_logo(package_id: str, request: Request, ctx: Ctx, db: Db) -> Response:
    authorize(ctx, "get_package")
    return _blob(request, ctx, db, package_id, "logo", OCTET_STREAM)


@router.get("/{package_id}/supplier_logo", response_class=Response)
def show_package_supplier_logo(package_id: str, request: Request, ctx: Ctx,
                               db: Db) -> Response:
    # Murano makes no policy call here; the owner/public rule still applies.
    return _blob(request, ctx, db, package_id, "supplier_logo", OCTET_STREAM)


@router.get("/{package_id}/download", response_class=Response)
def download_package(package_id: str, request: Request, ctx: Ctx, db: Db) -> Response:
    authorize(ctx, "download_package")
    return _blob(request, ctx, db, package_id, "archive", OCTET_STREAM)
