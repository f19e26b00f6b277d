"""Name checks shared by environments and templates (Murano: non-blank, at most 255)."""

from __future__ import annotations

from typing import Any

from fornace.errors import InvalidInput

MAX_NAME_LENGTH = 255


def checked_name(body: Any, what: str) -> str:
    if not isinstance(body, dict) or "name" not in body:
        raise InvalidInput(f"Please, specify a name of the {what}",
                           hint='send a JSON object such as {"name": "my-name"}')
    name = body["name"]
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"the name of the {what} must be a non-blank string")
    if "\x00" in name:
        raise InvalidInput(f"the name of the {what} must not contain NUL characters")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"the name of the {what} is {len(name)} characters long; "
                           f"the limit is {MAX_NAME_LENGTH}")
    return name
