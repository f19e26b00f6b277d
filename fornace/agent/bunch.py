"""A dict whose keys read as attributes: how a plan's Body sees ``args`` and results."""

from __future__ import annotations

from typing import Any


class Bunch(dict[str, Any]):
    def __getattr__(self, item: str) -> Any:
        try:
            return self[item]
        except KeyError:
            raise AttributeError(item) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __delattr__(self, key: str) -> None:
        del self[key]
