"""Categories of the catalog: global names, each with the count of its packages.

Murano counted and listed every package of a category, whoever owned it;
Fornace counts and lists only the packages the caller may see (own + public;
admins see all), so a category never reveals another project's private work.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fornace.auth.context import RequestContext
from fornace.db.models import Category, Package, package_to_category
from fornace.db.repositories._keyset import rows_after, timestamp
from fornace.errors import Conflict, Forbidden, InvalidInput, NotFound

log = logging.getLogger(__name__)

NAME_MAX: Final = 80
SORT_KEYS: Final = ("name", "created", "updated", "package_count", "id")


def _visible_packages(ctx: RequestContext) -> ColumnElement[bool] | None:
    if ctx.is_admin:
        return None
    return or_(Package.owner_id == ctx.project_id, Package.is_public.is_(True))


def _package_count(ctx: RequestContext) -> Any:
    stmt = (select(func.count())
            .select_from(package_to_category.join(Package,
                                                  Package.id == package_to_category.c.package_id))
            .where(package_to_category.c.category_id == Category.id))
    visible = _visible_packages(ctx)
    if visible is not None:
        stmt = stmt.where(visible)
    return stmt.correlate(Category).scalar_subquery()


def _dict_of(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "package_count": row.package_count,
            "created": timestamp(row.created), "updated": timestamp(row.updated)}


def _select(ctx: RequestContext) -> Any:
    return select(Category.id, Category.name, Category.created, Category.updated,
                  _package_count(ctx).label("package_count"))


def _not_found(category_id: str) -> NotFound:
    return NotFound(f"Category id '{category_id}' not found",
                    hint="list the categories: GET /v1/catalog/categories",
                    reference="category-not-found")


def list_categories(db: Session, ctx: RequestContext, *, sort_keys: tuple[str, ...],
                    sort_dir: str, limit: int | None,
                    marker: str | None) -> tuple[list[dict[str, Any]], str | None]:
    count = _package_count(ctx)
    columns = {"name": Category.name, "created": Category.created,
               "updated": Category.updated, "package_count": count, "id": Category.id}
    keys = [(columns[k], sort_dir) for k in dict.fromkeys((*sort_keys, "id"))]
    stmt = _select(ctx)
    if marker is not None:
        values = db.execute(select(*(k for k, _ in keys)).where(Category.id == marker)).first()
        if values is None:
            raise _not_found(marker)
        stmt = stmt.where(rows_after(keys, tuple(values)))
    stmt = stmt.order_by(*(k.asc() if sort_dir == "asc" else k.desc() for k, _ in keys))
    if limit is not None:
        stmt = stmt.limit(limit)
    categories = [_dict_of(r) for r in db.execute(stmt)]
    next_marker = categories[-1]["id"] if limit is not None and len(categories) == limit \
        else None
    return categories, next_marker


def get_category(db: Session, ctx: RequestContext, category_id: str) -> dict[str, Any]:
    """A category with the packages of it the caller may see."""
    row = db.execute(_select(ctx).where(Category.id == category_id)).first()
    if row is None:
        raise _not_found(category_id)
    stmt = (select(Package.id, Package.name, Package.fully_qualified_name)
            .join(package_to_category, package_to_category.c.package_id == Package.id)
            .where(package_to_category.c.category_id == category_id)
            .order_by(Package.name, Package.id))
    visible = _visible_packages(ctx)
    if visible is not None:
        stmt = stmt.where(visible)
    result = _dict_of(row)
    result["packages"] = [{"id": p.id, "name": p.name, "fully_qualified_name":
                           p.fully_qualified_name} for p in db.execute(stmt)]
    return result


def create_category(db: Session, ctx: RequestContext, name: str) -> dict[str, Any]:
    if len(name) > NAME_MAX:
        raise InvalidInput(f"Category name should be {NAME_MAX} characters maximum",
                           hint="shorten the name", reference="value-too-long")
    if db.execute(select(Category.id).where(Category.name == name)).first() is not None:
        raise Conflict("Category with specified name is already exist",
                       hint=f"the category {name!r} exists; pick another name",
                       reference="category-exists")
    category = Category(name=name)
    db.add(category)
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict("Category with specified name is already exist",
                       reference="category-exists") from exc
    log.info("category %r created as %s", name, category.id)
    return _dict_of(db.execute(_select(ctx).where(Category.id == category.id)).one())


def delete_category(db: Session, category_id: str) -> None:
    category = db.get(Category, category_id)
    if category is None:
        raise _not_found(category_id)
    used = db.execute(select(package_to_category.c.package_id)
                      .where(package_to_category.c.category_id == category_id).limit(1)).first()
    if used is not None:
        raise Forbidden("It's impossible to delete categories assigned to the package, "
                        "uploaded to the catalog",
                        hint="remove the category from its packages first (PATCH "
                             "/v1/catalog/packages/{id} with a remove op on /categories)",
                        reference="category-in-use")
    db.delete(category)
    db.flush()
    log.info("category %r (%s) deleted", category.name, category_id)
