"""Helpers for Murano object models (the JSON documents stored in descriptions).

Path walking follows Murano's TraverseHelper: in a dict a segment is a key; in
a list it is the ``?.id`` of an element, else a numeric index; a scalar ends
the walk.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from fornace.db.base import new_id
from fornace.errors import InvalidInput, NotFound

SANITIZED = "*** SANITIZED ***"
_SECRET_KEY = re.compile(r"token|pass|trustid", re.IGNORECASE)
DEFAULT_NETWORK_TYPE = "io.murano.resources.NeutronNetwork"


def split_path(path: str) -> list[str]:
    return [seg for seg in path.split("/") if seg]


def _child(node: Any, segment: str, path: str) -> Any:
    if isinstance(node, dict):
        if segment not in node:
            raise NotFound(f"path {path!r} not found: no key {segment!r}")
        return node[segment]
    if isinstance(node, list):
        return node[_index_in(node, segment, path)]
    raise NotFound(f"path {path!r} not found: {segment!r} is below a scalar value")


def _index_in(items: list[Any], segment: str, path: str) -> int:
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("?"), dict) \
                and item["?"].get("id") == segment:
            return i
    if segment.lstrip("-").isdigit():
        index = int(segment)
        if -len(items) <= index < len(items):
            return index
    raise NotFound(f"path {path!r} not found: no element {segment!r} in the list")


def get_node(root: Any, path: str) -> Any:
    node = root
    for segment in split_path(path):
        if not isinstance(node, (dict, list)):
            return node
        node = _child(node, segment, path)
    return node


def _parent_and_key(root: Any, path: str) -> tuple[Any, str]:
    segments = split_path(path)
    if not segments:
        raise InvalidInput("an empty path cannot be changed")
    parent = root
    for segment in segments[:-1]:
        parent = _child(parent, segment, path)
    if not isinstance(parent, (dict, list)):
        raise NotFound(f"path {path!r} not found: its parent is a scalar value")
    return parent, segments[-1]


def set_node(root: Any, path: str, value: Any) -> None:
    parent, key = _parent_and_key(root, path)
    if isinstance(parent, dict):
        parent[key] = value
    else:
        parent[_index_in(parent, key, path)] = value


def delete_node(root: Any, path: str) -> None:
    parent, key = _parent_and_key(root, path)
    if isinstance(parent, dict):
        if key not in parent:
            raise NotFound(f"path {path!r} not found: no key {key!r}")
        del parent[key]
    else:
        del parent[_index_in(parent, key, path)]


def iter_objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every object (a dict with a ``?`` holding an ``id``) nested in ``node``."""
    if isinstance(node, dict):
        header = node.get("?")
        if isinstance(header, dict) and "id" in header:
            yield node
        for value in node.values():
            yield from iter_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from iter_objects(item)


def object_ids(node: Any) -> set[str]:
    return {str(obj["?"]["id"]) for obj in iter_objects(node)}


def find_action(model: Any, action_id: str) -> tuple[str, dict[str, Any]] | None:
    """(owner object id, action record) of the object advertising ``action_id``."""
    for obj in iter_objects(model):
        actions = obj["?"].get("_actions")
        if isinstance(actions, dict) and isinstance(actions.get(action_id), dict):
            return str(obj["?"]["id"]), actions[action_id]
    return None


def sanitize(node: Any) -> Any:
    """A copy with values under keys naming tokens, passwords or trusts masked."""
    if isinstance(node, dict):
        return {k: SANITIZED if isinstance(k, str) and _SECRET_KEY.search(k) else sanitize(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [sanitize(v) for v in node]
    return node


def services_to_applications(objects: dict[str, Any] | None) -> dict[str, Any] | None:
    """The engine's view of Objects: ``services`` is called ``applications``."""
    if objects is None:
        return None
    out = dict(objects)
    out["applications"] = out.pop("services", [])
    return out


def applications_to_services(objects: dict[str, Any] | None) -> dict[str, Any] | None:
    if objects is None:
        return None
    out = dict(objects)
    if "applications" in out:
        out["services"] = out.pop("applications")
    return out


def default_networks(env_name: str) -> dict[str, Any]:
    """Murano's generated default network (the neutron driver, without asking Keystone)."""
    return {
        "environment": {"?": {"id": new_id(), "type": DEFAULT_NETWORK_TYPE},
                        "name": f"{env_name}-network"},
        "flat": None,
    }


def new_description(body: dict[str, Any], project_id: str, user_id: str) -> dict[str, Any]:
    """The envelope of a new environment, built from the create body."""
    objects: dict[str, Any] = {"?": {"id": new_id()}}
    objects.update(copy.deepcopy(body))
    if not objects.get("defaultNetworks"):
        objects["defaultNetworks"] = default_networks(str(body["name"]))
    header = objects["?"] if isinstance(objects.get("?"), dict) else {"id": new_id()}
    header.setdefault("id", new_id())
    header["type"] = "io.murano.Environment"
    header["metadata"] = {}
    objects["?"] = header
    return {"Objects": objects, "Attributes": [], "project_id": project_id, "user_id": user_id}
