"""Resolution of short type names (``Foo``, ``:Foo``, ``ns:Foo``) to full names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from fornace.dsl.errors import DslSyntaxError

_TYPE_NAME = re.compile(r"^(?:[A-Za-z_][\w]*)?:?[\w.]*$")


class NamespaceResolver:
    def __init__(self, namespaces: Mapping[str, str | None] | None = None):
        self.namespaces: dict[str, str] = {
            str(k): ("" if v is None else str(v)) for k, v in (namespaces or {}).items()
        }

    def resolve(self, name: str) -> str:
        if not isinstance(name, str) or not name:
            raise DslSyntaxError(f"Invalid type name {name!r}")
        if ":" not in name:
            if "." in name:
                return name
            name = ":" + name
        prefix, _, short = name.partition(":")
        if prefix == "":
            prefix = "="
        if prefix not in self.namespaces:
            if prefix == "=":
                return short
            raise KeyError(f'Namespace prefix "{prefix}" is not declared (type name {name!r})')
        ns = self.namespaces[prefix]
        return f"{ns}.{short}" if ns else short

    def resolve_pair(self, ns: str | None, name: str) -> str:
        return self.resolve(f"{ns or ''}:{name}")
