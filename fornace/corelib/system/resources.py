"""``io.murano.system.Resources``: files of a package's ``Resources/`` folder.

Files are read from the package of the class that uses the object (or of
``owner`` when given), as Murano's ResourceManager did.
"""

from __future__ import annotations

import json
from typing import Any

import yaml  # type: ignore[import-untyped]

from fornace.corelib.errors import ResourceNotFound
from fornace.corelib.system._base import SystemPart, caller_type
from fornace.dsl import murano_method
from fornace.errors import FornaceError


class _ResourceLoader(yaml.SafeLoader):
    """Safe YAML where timestamps stay strings (Murano's resource loader)."""


def _as_string(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_ResourceLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_string)


class Resources(SystemPart):
    def __init__(self, this: Any, **_: Any) -> None:
        super().__init__(this)
        cls = caller_type()
        self.package = cls.package if cls is not None else None

    def read(self, name: str, owner: Any = None) -> bytes:
        package = owner.type.package if owner is not None and hasattr(owner, "type") \
            else self.package
        reader = getattr(getattr(package, "definition", None), "resources", None)
        package_name = getattr(package, "name", "?")
        if reader is None:
            raise ResourceNotFound(f"package {package_name} has no Resources")
        try:
            return bytes(reader(str(name)))
        except (OSError, LookupError, FornaceError) as exc:  # folder, archive or catalog
            raise ResourceNotFound(
                f"resource {name} not found in package {package_name}",
                hint="Resources are read from the Resources/ folder of the calling "
                     "class's package") from exc

    @murano_method
    def string(self, name: str, owner: Any = None, binary: bool = False) -> Any:
        data = self.read(name, owner)
        if binary:
            return data.decode("latin-1")
        return data.decode("utf-8").replace("\r\n", "\n")

    @murano_method
    def bytes(self, name: str, owner: Any = None) -> list[int]:
        return list(self.read(name, owner))

    @murano_method
    def json(self, name: str, owner: Any = None) -> Any:
        return json.loads(self.read(name, owner).decode("utf-8"))

    @murano_method
    def yaml(self, name: str, owner: Any = None) -> Any:
        return yaml.load(self.read(name, owner).decode("utf-8"), Loader=_ResourceLoader)  # noqa: S506 - a SafeLoader subclass


def resources_part(obj: Any) -> Resources:
    """The Python part of an ``io.murano.system.Resources`` object."""
    for part in obj.parts.values():
        if isinstance(part, Resources):
            return part
    part = obj.executor.system.construct(obj.type, obj, {})
    obj.parts[obj.type] = part
    return part  # type: ignore[no-any-return]
