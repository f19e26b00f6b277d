"""A JSON response rendered by orjson, for the hot list routes.

Datetimes are written as Murano printed them (ISO-8601, no microseconds, no
zone), so rows go out without a Python formatting pass.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

_OPTIONS = orjson.OPT_OMIT_MICROSECONDS


class FastJSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=_OPTIONS)
