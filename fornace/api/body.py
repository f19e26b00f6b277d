"""Request bodies: media type checks and safe JSON parsing, as FastAPI dependencies.

A body with a media type the route does not speak answers 415; malformed
JSON answers 400. A missing Content-Type on a JSON route is read as JSON.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Request

from fornace.errors import InvalidInput, Unsupported

JSON = "application/json"
ENV_MODEL_PATCH = "application/env-model-json-patch"
_NO_BODY = object()


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def _read(request: Request, accepted: tuple[str, ...]) -> Any:
    raw = await request.body()
    if not raw.strip():
        return _NO_BODY
    kind = media_type(request) or accepted[0]
    if kind not in accepted:
        raise Unsupported(f"unsupported Content-Type {kind!r} for this request",
                          hint=f"send the body as {' or '.join(accepted)}",
                          reference="unsupported-media-type")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"malformed JSON in request body: {exc}",
                           hint="send a valid JSON document", reference="malformed-json") from exc


async def optional_json(request: Request) -> Any:
    """The parsed JSON body, or None when the request has none."""
    value = await _read(request, (JSON,))
    return None if value is _NO_BODY else value


async def env_model_patch(request: Request) -> Any:
    value = await _read(request, (ENV_MODEL_PATCH,))
    if value is _NO_BODY:
        raise InvalidInput("Request body is empty: please, provide environment object model "
                           "patch", reference="empty-body")
    return value


JsonBody = Annotated[Any, Depends(optional_json)]
EnvModelPatch = Annotated[Any, Depends(env_model_patch)]


def require_object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidInput(f"the request body must be a JSON object ({what})",
                           reference="body-not-object")
    return body
