"""Packages of the catalog: visibility, upload, changes, deletion and their JSON dicts.

Tenant isolation (hard-coded, apart from policy): a project reads its own
packages and public ones, writes only its own; admins read and write all.

Fornace keeps versions side by side: the unique key is (FQN, owner, version).
Class names may not clash between packages of *different* FQNs in one
project, nor among public packages; only one public package per
(FQN, version).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import semantic_version
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fornace.auth.context import RequestContext
from fornace.catalog import LoadedPackage
from fornace.db.base import utcnow
from fornace.db.models import (
    Category,
    ClassDefinition,
    Package,
    Tag,
    package_to_category,
    package_to_tag,
)
from fornace.db.repositories._keyset import timestamp
from fornace.errors import Conflict, Forbidden, InvalidInput, NotFound

log = logging.getLogger(__name__)

NAME_MAX: Final = 80
FQN_MAX: Final = 128
CLASS_NAME_MAX: Final = 128
VERSION_MAX: Final = 64
FORMAT_MAX: Final = 32

# Columns of a package dict: everything but the deferred blobs.
SUMMARY_COLUMNS: Final = (
    Package.id, Package.fully_qualified_name, Package.name, Package.version, Package.type,
    Package.description, Package.author, Package.supplier, Package.is_public, Package.enabled,
    Package.owner_id, Package.created, Package.updated,
)


@dataclass(frozen=True)
class UploadOptions:
    """What the upload form may add to the manifest: Murano's metadata part."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    is_public: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class PackageChange:
    """One validated operation of a package PATCH (``path`` without the slash)."""

    op: str
    path: str
    value: Any


# --- visibility ---------------------------------------------------------------------------

def visible_to(ctx: RequestContext, *, catalog: bool = False,
               manage_public: bool = True) -> ColumnElement[bool] | None:
    """The packages a caller may list: own + public ("catalog" mode, even for admins);
    otherwise admins see all, others own + public (or own only without manage_public)."""
    own_or_public = or_(Package.owner_id == ctx.project_id, Package.is_public.is_(True))
    if catalog:
        return own_or_public
    if ctx.is_admin:
        return None
    return own_or_public if manage_public else Package.owner_id == ctx.project_id


def get_package(db: Session, ctx: RequestContext, package_id: str) -> Package:
    """A package the caller may read: 404 if unknown, 403 if private to another project."""
    package = db.get(Package, package_id)
    if package is None:
        raise NotFound(f"Package id '{package_id}' not found",
                       hint="list the packages you can see: GET /v1/catalog/packages",
                       reference="package-not-found")
    if not ctx.is_admin and package.owner_id != ctx.project_id and not package.is_public:
        raise Forbidden(f"Package '{package_id}' is not public and not owned by "
                        f"tenant '{ctx.project_id}'", reference="package-not-visible")
    return package


def check_owner(ctx: RequestContext, package: Package) -> None:
    """Writes need the owner project, or admin."""
    if not ctx.is_admin and package.owner_id != ctx.project_id:
        raise Forbidden(f"Package '{package.id}' is not owned by tenant '{ctx.project_id}'",
                        hint="only the project that uploaded a package (or an admin) may "
                             "change or delete it", reference="package-not-owned")


def read_blob(db: Session, package: Package, column: str) -> bytes | str | None:
    """One deferred column (archive, logo, supplier_logo, ui_definition) of one package."""
    value: bytes | str | None = db.execute(
        select(getattr(Package, column)).where(Package.id == package.id)).scalar_one()
    return value


# --- dicts --------------------------------------------------------------------------------

_PAGE_IDS: BindParameter[list[str]] = bindparam("ids", expanding=True)
# Built once: tags, categories and class names of a page of packages, in one round trip.
_RELATED_NAMES = union_all(
    select(literal("tags").label("kind"), package_to_tag.c.package_id, Tag.name)
    .join(Tag, Tag.id == package_to_tag.c.tag_id)
    .where(package_to_tag.c.package_id.in_(_PAGE_IDS)),
    select(literal("categories").label("kind"), package_to_category.c.package_id, Category.name)
    .join(Category, Category.id == package_to_category.c.category_id)
    .where(package_to_category.c.package_id.in_(_PAGE_IDS)),
    select(literal("class_definitions").label("kind"), ClassDefinition.package_id,
           ClassDefinition.name)
    .where(ClassDefinition.package_id.in_(_PAGE_IDS)),
)


def _related_names(db: Session, ids: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """Tags, categories and class names of ``ids``, each list sorted."""
    names: dict[str, dict[str, list[str]]] = {
        i: {"tags": [], "categories": [], "class_definitions": []} for i in ids}
    if not ids:
        return names
    for kind, package_id, name in db.execute(_RELATED_NAMES, {"ids": list(ids)}):
        names[package_id][kind].append(name)
    for lists in names.values():
        for values in lists.values():
            values.sort()
    return names


def _dict_of(row: Any, related: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "id": row.id, "fully_qualified_name": row.fully_qualified_name, "name": row.name,
        "version": row.version, "type": row.type, "description": row.description,
        "author": row.author, "supplier": row.supplier or {}, "is_public": row.is_public,
        "enabled": row.enabled, "owner_id": row.owner_id, "created": timestamp(row.created),
        "updated": timestamp(row.updated), "tags": related["tags"],
        "categories": related["categories"], "class_definitions": related["class_definitions"],
    }


def package_dicts(db: Session, stmt: Select[Any]) -> list[dict[str, Any]]:
    """Run a select of SUMMARY_COLUMNS and return Murano's package dicts, in order."""
    rows = db.execute(stmt).all()
    related = _related_names(db, [r.id for r in rows])
    return [_dict_of(r, related[r.id]) for r in rows]


def package_dict(db: Session, package_id: str) -> dict[str, Any]:
    return package_dicts(db, select(*SUMMARY_COLUMNS).where(Package.id == package_id))[0]


# --- names, tags and categories -----------------------------------------------------------

def _check_length(what: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        raise InvalidInput(f"{what} should be {maximum} characters maximum "
                           f"({len(value)} given: {value[:40]!r}...)",
                           hint=f"shorten the {what.lower()}", reference="value-too-long")


def _check_loaded(loaded: LoadedPackage) -> None:
    _check_length("Package name", loaded.name, NAME_MAX)
    _check_length("Package full name", loaded.fully_qualified_name, FQN_MAX)
    _check_length("Package author", loaded.author, NAME_MAX)
    _check_length("Package version", loaded.version, VERSION_MAX)
    _check_length("Package format", loaded.format, FORMAT_MAX)
    for name in loaded.classes:
        _check_length("Class name", name, CLASS_NAME_MAX)


def find_categories(db: Session, names: Iterable[str]) -> list[Category]:
    """Existing categories by name; an unknown one is refused (400), as Murano does."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    found = {c.name: c for c in db.scalars(select(Category).where(Category.name.in_(wanted)))}
    for name in wanted:
        if name not in found:
            raise InvalidInput(f"Category '{name}' doesn't exist",
                               hint="pick one of GET /v1/catalog/categories, or ask an admin "
                                    "to create it", reference="category-unknown")
    return [found[n] for n in wanted]


def find_or_create_tags(db: Session, names: Iterable[str]) -> list[Tag]:
    """Tags are global and created on first use; a concurrent creator is tolerated."""
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        _check_length("Tag", name, NAME_MAX)
    if not wanted:
        return []
    found = {t.name: t for t in db.scalars(select(Tag).where(Tag.name.in_(wanted)))}
    db.flush()  # so that the savepoints below hold nothing but their tag
    for name in wanted:
        if name in found:
            continue
        try:
            with db.begin_nested():
                tag = Tag(name=name)
                db.add(tag)
                db.flush()
        except IntegrityError:
            tag = db.scalars(select(Tag).where(Tag.name == name)).one()
        found[name] = tag
    return [found[n] for n in wanted]


def semver(version: str) -> str:
    """The stored form of a version: semver (``1.0`` -> ``1.0.0``), else as given."""
    try:
        return str(semantic_version.Version.coerce(version.strip()))
    except ValueError:
        return version


# --- conflicts ----------------------------------------------------------------------------

def _lock(db: Session, *names: str) -> None:
    """Serialise the conflict checks on PostgreSQL (SQLite serialises writers already)."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for name in sorted(names):
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _check_conflicts(db: Session, *, fqn: str, version: str, classes: Iterable[str],
                     owner_id: str | None, public: bool, ignore_id: str | None = None) -> None:
    """Murano's class and public-FQN rules, between packages of different FQNs."""
    class_names = list(classes)
    if class_names:
        scopes = []
        if owner_id is not None:
            scopes.append(Package.owner_id == owner_id)
        if public:
            scopes.append(Package.is_public.is_(True))
        if scopes:
            stmt = (select(ClassDefinition.name, Package.fully_qualified_name)
                    .join(Package, Package.id == ClassDefinition.package_id)
                    .where(ClassDefinition.name.in_(class_names),
                           Package.fully_qualified_name != fqn, or_(*scopes)))
            if ignore_id is not None:
                stmt = stmt.where(Package.id != ignore_id)
            clash = db.execute(stmt.limit(1)).first()
            if clash is not None:
                raise Conflict(
                    f"Class with the same full name is already registered in the visibility "
                    f"scope: {clash[0]} (in package {clash[1]})",
                    hint="rename the class, or delete the other package first",
                    reference="package-class-conflict")
    if public:
        same = select(Package.id).where(Package.is_public.is_(True),
                                        Package.fully_qualified_name == fqn,
                                        Package.version == version)
        if ignore_id is not None:
            same = same.where(Package.id != ignore_id)
        if db.execute(same.limit(1)).first() is not None:
            raise Conflict(f"Package with the same Name is already made public: {fqn} "
                           f"version {version}",
                           hint="upload another Version, or keep this package private",
                           reference="package-public-conflict")


def _check_unique(db: Session, fqn: str, version: str, owner_id: str) -> None:
    existing = db.execute(select(Package.id).where(
        Package.fully_qualified_name == fqn, Package.owner_id == owner_id,
        Package.version == version)).first()
    if existing is not None:
        raise Conflict(
            f"Package with specified full name is already registered: "
            f"{fqn} version {version} ({existing[0]})",
            hint="delete that package first, or raise Version in manifest.yaml",
            reference="package-exists")


# --- writes -------------------------------------------------------------------------------

def create_package(db: Session, ctx: RequestContext, loaded: LoadedPackage,
                   options: UploadOptions) -> Package:
    """Store an uploaded package; the manifest wins, the form adds categories and tags."""
    _check_loaded(loaded)
    version = semver(loaded.version)
    owner_id = ctx.project_id
    _lock(db, f"fornace-package-classes:{owner_id}",
          *(["fornace-public-packages"] if options.is_public else []))
    _check_unique(db, loaded.fully_qualified_name, version, owner_id)
    _check_conflicts(db, fqn=loaded.fully_qualified_name, version=version,
                     classes=loaded.classes, owner_id=owner_id, public=options.is_public)
    categories = find_categories(db, options.categories)
    tags = find_or_create_tags(db, [*loaded.tags, *options.tags])
    package = Package(
        fully_qualified_name=loaded.fully_qualified_name, name=loaded.name,
        version=version, format=loaded.format, type=loaded.type,
        description=loaded.description, author=loaded.author, supplier=dict(loaded.supplier),
        requirements=dict(loaded.requirements), archive=loaded.archive, logo=loaded.logo,
        supplier_logo=loaded.supplier_logo, ui_definition=loaded.ui_definition,
        is_public=options.is_public, enabled=options.enabled, owner_id=owner_id,
        categories=categories, tags=tags,
        class_definitions=[ClassDefinition(name=n) for n in dict.fromkeys(loaded.classes)],
    )
    db.add(package)
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict("Package with specified full name is already registered",
                       hint="delete that package first, or raise Version in manifest.yaml",
                       reference="package-exists") from exc
    log.info("package %s %s uploaded as %s by project %s", package.fully_qualified_name,
             package.version, package.id, owner_id)
    return package


def delete_package(db: Session, package: Package) -> None:
    db.delete(package)
    db.flush()
    log.info("package %s (%s) deleted", package.id, package.fully_qualified_name)


def _apply(db: Session, package: Package, change: PackageChange) -> None:
    if change.path in ("tags", "categories"):
        current: list[Any] = getattr(package, change.path)
        if change.op == "remove":
            for name in change.value:
                item = next((i for i in current if i.name == name), None)
                if item is None:
                    raise NotFound(f"Value '{name}' of property '{change.path}' does not exist.",
                                   reference="package-value-absent")
                current.remove(item)
            return
        resolve = find_or_create_tags if change.path == "tags" else find_categories
        items = resolve(db, change.value)
        if change.op == "replace":
            current[:] = items
        else:  # add: attach the names not attached yet
            attached = {i.name for i in current}
            current.extend(i for i in items if i.name not in attached)
        return
    if change.path == "name":
        _check_length("Package name", change.value, NAME_MAX)
    setattr(package, change.path, change.value)


def update_package(db: Session, package: Package, changes: Sequence[PackageChange]) -> Package:
    """Apply a validated PATCH; going private -> public re-runs the public conflict checks."""
    was_private = not package.is_public
    for change in changes:
        _apply(db, package, change)
    if was_private and package.is_public:
        _lock(db, "fornace-public-packages")
        _check_conflicts(db, fqn=package.fully_qualified_name, version=package.version,
                         classes=[c.name for c in package.class_definitions], owner_id=None,
                         public=True, ignore_id=package.id)
    package.updated = utcnow()
    db.flush()
    log.info("package %s updated (%s)", package.id,
             ", ".join(f"{c.op} /{c.path}" for c in changes))
    return package
