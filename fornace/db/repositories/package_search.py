"""Listing and searching packages: filters, relevance, sorting and keyset pagination.

One select of the summary columns (never the blobs), then one query for the
tags, categories and class names of the page. Pagination runs in SQL: the
marker's sort values bound the next page, so pages never overlap or skip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import ColumnElement, case, or_, select
from sqlalchemy.orm import Session

from fornace.auth.context import RequestContext
from fornace.db.models import Category, ClassDefinition, Package, Tag
from fornace.db.repositories._keyset import rows_after
from fornace.db.repositories.packages import SUMMARY_COLUMNS, package_dicts, visible_to
from fornace.errors import NotFound

ORDER_COLUMNS: Final[dict[str, Any]] = {
    "fqn": Package.fully_qualified_name,
    "name": Package.name,
    "created": Package.created,
}


@dataclass(frozen=True)
class PackageQuery:
    """The recognised parameters of GET /v1/catalog/packages, already validated."""

    catalog: bool = False
    include_disabled: bool = False
    owned: bool = False
    type: str | None = None
    ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    class_name: str | None = None
    fqn: str | None = None
    name: str | None = None
    versions: tuple[str, ...] = ()  # Fornace: the spellings of one version to match
    search: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ("name",)
    sort_dir: str = "asc"
    limit: int = 20
    marker: str | None = None


def _search_fields(word: str) -> list[ColumnElement[bool]]:
    """Conditions for one word, in Murano's relevance order."""
    return [
        Package.name.icontains(word, autoescape=True),
        Package.fully_qualified_name.icontains(word, autoescape=True),
        Package.description.icontains(word, autoescape=True),
        Package.categories.any(Category.name.icontains(word, autoescape=True)),
        Package.tags.any(Tag.name.icontains(word, autoescape=True)),
        Package.class_definitions.any(ClassDefinition.name.icontains(word, autoescape=True)),
        Package.author.icontains(word, autoescape=True),
        or_(Package.type.icontains(word, autoescape=True),
            Package.version.icontains(word, autoescape=True),
            Package.format.icontains(word, autoescape=True)),
    ]


def _filters(ctx: RequestContext, query: PackageQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not query.include_disabled:
        conditions.append(Package.enabled.is_(True))
    if query.owned:
        conditions.append(Package.owner_id == ctx.project_id)
    if query.type is not None:
        conditions.append(Package.type == query.type)
    if query.ids:
        conditions.append(Package.id.in_(query.ids))
    if query.categories:
        conditions.append(Package.categories.any(Category.name.in_(query.categories)))
    if query.tags:
        conditions.append(Package.tags.any(Tag.name.in_(query.tags)))
    if query.class_name is not None:
        conditions.append(Package.class_definitions.any(ClassDefinition.name == query.class_name))
    if query.fqn is not None:
        conditions.append(Package.fully_qualified_name == query.fqn)
    if query.name is not None:
        conditions.append(Package.name == query.name)
    if query.versions:
        conditions.append(Package.version.in_(query.versions))
    return conditions


def _sort_keys(query: PackageQuery) -> list[tuple[Any, str]]:
    """(expression, direction) pairs: relevance first when searching, ``id`` last."""
    keys: list[tuple[Any, str]] = []
    if query.search:
        per_word = [_search_fields(w) for w in query.search]
        whens = [(words[i], i) for i in range(len(per_word[0])) for words in per_word]
        keys.append((case(*whens, else_=len(per_word[0])), "asc"))
    for key in dict.fromkeys(query.order_by or ("name",)):
        keys.append((ORDER_COLUMNS[key], query.sort_dir))
    keys.append((Package.id, query.sort_dir))
    return keys


def search_packages(db: Session, ctx: RequestContext, query: PackageQuery, *,
                    manage_public: bool) -> tuple[list[dict[str, Any]], str | None]:
    """One page of packages and the next marker (only when the page is full)."""
    where = _filters(ctx, query)
    visibility = visible_to(ctx, catalog=query.catalog, manage_public=manage_public)
    if visibility is not None:
        where.append(visibility)
    if query.search:
        where.append(or_(*(c for w in query.search for c in _search_fields(w))))
    keys = _sort_keys(query)
    stmt = select(*SUMMARY_COLUMNS).where(*where)
    if query.marker is not None:
        marker_stmt = select(*(k for k, _ in keys)).where(Package.id == query.marker)
        if visibility is not None:
            marker_stmt = marker_stmt.where(visibility)
        marker = db.execute(marker_stmt).first()
        if marker is None:
            raise NotFound(f"Package id '{query.marker}' not found",
                           hint="pass the next_marker of the previous page, or no marker",
                           reference="marker-not-found")
        stmt = stmt.where(rows_after(keys, tuple(marker)))
    stmt = stmt.order_by(*(k.asc() if d == "asc" else k.desc() for k, d in keys))
    packages = package_dicts(db, stmt.limit(query.limit))
    next_marker = packages[-1]["id"] if len(packages) == query.limit else None
    return packages, next_marker
