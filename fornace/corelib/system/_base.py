"""Common ground of the Python system classes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from fornace.dsl import current_executor

if TYPE_CHECKING:
    from fornace.corelib.services import EngineServices


class SystemPart:
    """The Python part of a MuranoPL object; ``services`` is bound by build_registry."""

    services: ClassVar[EngineServices]

    def __init__(self, this: Any, **_: Any) -> None:
        self.this = this


def caller_type() -> Any:
    """The MuranoPL class whose method is calling into Python right now (or None)."""
    executor = current_executor()
    frames = getattr(executor, "frames", None)
    return frames[-1].type if frames else None


def object_id(value: Any) -> str:
    return str(getattr(value, "id", value))
