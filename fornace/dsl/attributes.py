"""The attribute store behind ``setAttr``/``getAttr`` (deployment state per object)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class AttributeStore:
    """Key = (object id, owner type name, attribute name). Objects are stored as ids."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str, str], Any] = {}

    def set(self, object_id: str, owner: str, name: str, value: Any) -> None:
        key = (object_id, owner, name)
        if value is None:
            self._data.pop(key, None)
        else:
            self._data[key] = value

    def get(self, object_id: str, owner: str, name: str, default: Any = None) -> Any:
        return self._data.get((object_id, owner, name), default)

    def forget(self, object_id: str) -> None:
        for key in [k for k in self._data if k[0] == object_id]:
            del self._data[key]

    def serialize(self, known_ids: Iterable[str],
                  convert: Callable[[Any], Any] = lambda v: v) -> list[list[Any]]:
        known = set(known_ids)
        return [[oid, owner, name, convert(value)]
                for (oid, owner, name), value in self._data.items() if oid in known]

    def load(self, rows: Iterable[Any]) -> None:
        for row in rows or []:
            if not isinstance(row, list | tuple) or len(row) != 4:
                continue
            oid, owner, name, value = row
            if value is not None:
                self._data[(str(oid), str(owner), str(name))] = value
