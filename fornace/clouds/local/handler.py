"""The shape of a resource type of the local cloud.

A handler works on resolved properties (intrinsic functions evaluated). At
planning time values that come from resources not yet created are UNKNOWN;
``check`` must accept them. ``create`` returns the record's ``data``;
``attributes`` answers ``get_attr``.
"""

from __future__ import annotations

from typing import Any

from fornace.clouds.errors import TemplateInvalid
from fornace.clouds.local.context import Context, display_name
from fornace.clouds.local.template import contains_unknown


def bad(where: str, message: str, hint: str | None = None) -> TemplateInvalid:
    return TemplateInvalid(
        f"{where}: {message}", hint=hint or "Fix the Heat template and push again."
    )


def known(value: Any) -> bool:
    return value is not None and not contains_unknown(value)


class Handler:
    type_name = ""
    properties: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    # Properties that can change in place; a change to any other replaces the resource.
    updatable: frozenset[str] = frozenset()

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        unknown = sorted(set(props) - self.properties)
        if unknown:
            raise bad(
                where,
                f"unknown propert{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(unknown)} for {self.type_name}.",
            )
        for name in sorted(self.required):
            if props.get(name) is None:
                raise bad(where, f"property {name} is required for {self.type_name}.")

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        return {}

    def update(self, ctx: Context, rec: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
        return dict(rec.get("data") or {})

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        return None

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"name": display_name(rec)}

    def static(self, rec: dict[str, Any]) -> bool:
        """True when the attributes are known before the resource exists."""
        return False

    def healthy(self, rec: dict[str, Any]) -> bool:
        """False when the resource is recorded but no longer works (then it is replaced)."""
        return True
