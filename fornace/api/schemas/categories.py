"""Category bodies: the list query (strict, as Murano's), the create body, the dicts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from pydantic import BaseModel

from fornace.api.schemas._paging import parse_limit, parse_sort_dir
from fornace.db.repositories.categories import SORT_KEYS
from fornace.errors import InvalidInput

LIST_PARAMS: Final = ("sort_keys", "sort_dir", "limit", "marker")


class CategoryOut(BaseModel):
    id: str
    name: str
    package_count: int
    created: str
    updated: str


class CategoryPackage(BaseModel):
    id: str
    name: str
    fully_qualified_name: str


class CategoryDetail(CategoryOut):
    packages: list[CategoryPackage]


class CategoryList(BaseModel):
    categories: list[CategoryOut]
    next_marker: str | None = None


class CategoryCreate(BaseModel):
    name: str


@dataclass(frozen=True)
class CategoryQuery:
    sort_keys: tuple[str, ...] = ("name",)
    sort_dir: str = "asc"
    limit: int | None = None
    marker: str | None = None


def parse_category_query(items: Iterable[tuple[str, str]]) -> CategoryQuery:
    """Only sort_keys, sort_dir, limit and marker; any other key is refused (400)."""
    values: dict[str, str] = {}
    for key, value in items:
        if key not in LIST_PARAMS:
            raise InvalidInput(f"Bad value passed to filter. Got {key}, expected:"
                               f"{', '.join(LIST_PARAMS)}",
                               hint="categories can only be sorted and paginated",
                               reference="invalid-filter")
        values[key] = value
    sort_keys: tuple[str, ...] = ("name",)
    if "sort_keys" in values:
        sort_keys = tuple(k.strip() for k in values["sort_keys"].split(","))
        for key in sort_keys:
            if key not in SORT_KEYS:
                raise InvalidInput(f"Invalid sort key: {key}. Must be one of the following: "
                                   f"{', '.join(SORT_KEYS)}", reference="invalid-sort-key")
    return CategoryQuery(sort_keys=sort_keys, sort_dir=parse_sort_dir(values.get("sort_dir")),
                         limit=parse_limit(values.get("limit"), default=None, maximum=None),
                         marker=values.get("marker"))


def category_name(body: bytes) -> str:
    """The ``name`` of a create body; missing, empty or not a string is refused (400)."""
    try:
        document = json.loads(body) if body.strip() else {}
    except ValueError:
        raise InvalidInput("cannot understand JSON", hint='send {"name": "My Category"}',
                           reference="invalid-json") from None
    name = document.get("name") if isinstance(document, dict) else None
    if not name or not isinstance(name, str):
        raise InvalidInput("Please, specify a name of the category to create",
                           hint='send {"name": "My Category"}', reference="category-name-missing")
    return name
