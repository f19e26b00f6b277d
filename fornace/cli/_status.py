"""``fornace status``: the object model as a tree with states, IPs and last reports.

:func:`collect_status` builds a plain dict (also the ``--output json`` form);
:func:`render_tree` draws it with rich.
"""

from __future__ import annotations

from typing import Any

from fornace.client import FornaceClient

IP_PROPERTIES = ("ipAddresses", "floatingIpAddress")


def _objects_in(value: Any) -> list[dict[str, Any]]:
    """The objects (dicts with a '?' header) directly under ``value``, not deeper."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if isinstance(value.get("?"), dict):
            return [value]
        for item in value.values():
            found.extend(_objects_in(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_objects_in(item))
    return found


def _node(obj: dict[str, Any], reports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    header = obj["?"]
    object_id = str(header.get("id"))
    node: dict[str, Any] = {"id": object_id, "type": header.get("type"),
                            "name": obj.get("name"), "status": header.get("status")}
    ips: list[str] = []
    for key in IP_PROPERTIES:
        value = obj.get(key)
        if isinstance(value, str) and value:
            ips.append(value)
        elif isinstance(value, list):
            ips.extend(str(v) for v in value if v)
    if ips:
        node["ips"] = ips
    report = reports.get(object_id)
    if report is not None:
        node["lastStatus"] = {"text": report.get("text"), "level": report.get("level"),
                              "created": report.get("created")}
    children: list[dict[str, Any]] = []
    for key, value in obj.items():
        if key != "?":
            children.extend(_node(child, reports) for child in _objects_in(value))
    if children:
        node["children"] = children
    return node


def collect_status(client: FornaceClient, environment_id: str,
                   session_id: str | None = None) -> dict[str, Any]:
    env = client.get_environment(environment_id, session_id=session_id)
    model = client.get_model(environment_id, session_id=session_id) or {}
    reports: dict[str, dict[str, Any]] = {}
    deployments = client.list_deployments(environment_id)
    if deployments:
        for report in client.list_reports(environment_id, deployments[0]["id"]):
            if report.get("entity_id"):
                reports[str(report["entity_id"])] = report   # oldest first: last one wins
    last = client.last_status(environment_id).get("lastStatuses") or {}
    for service_id, report in last.items():
        if report is not None:
            reports[service_id] = report
    # the model API is rooted at Objects: the environment object itself
    tree = _node(model, reports) if isinstance(model, dict) and "?" in model else None
    return {"id": env["id"], "name": env.get("name"), "status": env.get("status"),
            "deployment": deployments[0] if deployments else None, "objects": tree}


_STYLE = {"ready": "green", "deploying": "yellow", "deleting": "yellow", "pending": "cyan",
          "deploy failure": "red", "delete failure": "red"}


def _label(node: dict[str, Any]) -> str:
    from rich.markup import escape

    text = f"[bold]{escape(str(node.get('name') or node.get('type')))}[/]"
    if node.get("name"):
        text += f" [dim]{escape(str(node.get('type')))}[/]"
    text += f" [dim]{node['id']}[/]"
    if node.get("status"):
        text += f" [{_STYLE.get(node['status'], 'white')}]{escape(node['status'])}[/]"
    if node.get("ips"):
        text += " [cyan]" + escape(", ".join(node["ips"])) + "[/]"
    report = node.get("lastStatus")
    if report:
        color = {"error": "red", "warning": "yellow"}.get(str(report.get("level")), "dim")
        text += f"\n[{color}]{escape(str(report.get('text')))}[/]"
    return text


def _add(branch: Any, node: dict[str, Any]) -> None:
    child = branch.add(_label(node))
    for sub in node.get("children", []):
        _add(child, sub)


def render_tree(summary: dict[str, Any]) -> Any:
    from rich.markup import escape
    from rich.tree import Tree

    status = str(summary.get("status"))
    title = (f"[bold]{escape(str(summary['name']))}[/] {summary['id']} "
             f"[{_STYLE.get(status, 'white')}]{escape(status)}[/]")
    deployment = summary.get("deployment")
    if deployment:
        title += f"  [dim]last deployment {deployment['id']}: {deployment['state']}[/]"
    tree = Tree(title)
    objects = summary.get("objects")
    if objects:
        for child in objects.get("children", []) or []:
            _add(tree, child)
    return tree
