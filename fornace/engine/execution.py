"""One engine task: Murano's TaskExecutor, StaticActionExecutor and schema generator.

``execute_task`` runs the deployment cycle (murano-api.md §12, muranopl.md §1.13):
load Attributes, Objects and ObjectsCopy into one session (objects only in the
copy are destroyed: that is how a removed application is torn down), call the
action (``deploy`` or another action; a null action with ``Objects: null`` is a
deletion: everything is destroyed), finalise and serialise the new model with
``ObjectsCopy`` = the new ``Objects``. Failures become ``isException`` results
plus an error report whose details are the MuranoPL stack trace — never a
Python traceback (that goes to the engine's log).
"""

from __future__ import annotations

import copy
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from fornace.dsl import Limits, Session, class_schema, format_stack
from fornace.dsl.schema import contract_schema
from fornace.dsl.serializer import serialize_value
from fornace.dsl.system import SystemRegistry, default_registry
from fornace.engine.package_loader import package_source
from fornace.errors import FornaceError, InvalidInput

log = logging.getLogger(__name__)

Reporter = Callable[[dict[str, Any]], None]
Plugin = Callable[[SystemRegistry, Any], None]


@dataclass
class TaskServices:
    """What system classes get when the core library is not installed (same fields)."""

    environment_id: str
    project_id: str
    user_id: str
    report: Reporter
    cloud: Any = None
    agents: Any = None
    config: dict[str, Any] = field(default_factory=dict)
    notify: Callable[[str, dict[str, Any]], None] | None = None


@dataclass
class EngineContext:
    """Per worker: where packages come from and how a task's system classes are built."""

    sessions: sessionmaker[DbSession]
    core_folders: list[Path] = field(default_factory=list)
    plugins: list[Plugin] = field(default_factory=list)
    limits: Limits | None = None
    config: dict[str, Any] = field(default_factory=dict)
    # per environment: the cloud driver and agent broker of a task (None: no cloud)
    resources: Callable[[str], TaskResources] | None = None


@dataclass
class TaskResources:
    """A task's cloud driver and agent broker, and how to let go of them."""

    cloud: Any = None
    agents: Any = None
    close: Callable[[bool], None] = lambda _environment_deleted: None


def _corelib() -> Any:
    try:
        module = importlib.import_module("fornace.corelib")
    except ImportError:
        return None
    return module if hasattr(module, "build_registry") else None


def default_core_folders() -> list[Path]:
    corelib = _corelib()
    return [Path(corelib.core_packages_dir())] if corelib is not None else []


def load_plugins(specs: Iterable[str]) -> list[Plugin]:
    """``module:function`` hooks called with ``(registry, services)`` for every task."""
    plugins = []
    for spec in specs:
        module_name, _, attr = spec.partition(":")
        try:
            plugins.append(getattr(importlib.import_module(module_name), attr))
        except (ImportError, AttributeError) as exc:
            from fornace.errors import ConfigurationError
            raise ConfigurationError(f"engine plugin {spec!r} cannot be loaded: {exc}",
                                     hint="set engine_plugins to 'module:function' entries "
                                          "importable by the engine") from exc
    return plugins


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def report_payload(environment_id: str, text: str, *, level: str = "info",
                   details: str | None = None, entity_id: str | None = None) -> dict[str, Any]:
    return {"id": entity_id or environment_id, "text": text, "details": details, "level": level,
            "environment_id": environment_id, "timestamp": now_iso()}


def build_session(ctx: EngineContext, *, environment_id: str, project_id: str | None,
                  user_id: str | None, report: Reporter,
                  notify: Callable[[str, dict[str, Any]], None] | None = None,
                  resources: TaskResources | None = None) -> Session:
    corelib = _corelib()
    resources = resources or TaskResources()
    fields = dict(environment_id=environment_id, project_id=project_id or "",
                  user_id=user_id or "", report=report, cloud=resources.cloud,
                  agents=resources.agents, config=dict(ctx.config))
    if corelib is not None:
        services: Any = corelib.EngineServices(**fields)
        if hasattr(services, "notify"):
            services.notify = notify
        registry = corelib.build_registry(services)
    else:
        services = TaskServices(**fields, notify=notify)
        registry = default_registry()
    for plugin in ctx.plugins:
        plugin(registry, services)
    source = package_source(ctx.sessions, project_id, ctx.core_folders)
    return Session(source, limits=ctx.limits, system_classes=registry, config=ctx.config)


def failure(exc: BaseException) -> tuple[str, str]:
    """(message, details) of a failed run: the MuranoPL stack, never a Python traceback."""
    if isinstance(exc, FornaceError):
        message = str(exc)
    else:
        message = f"{type(exc).__name__}: {exc}"
    try:
        details = format_stack(exc)
    except Exception:  # a broken stack must not hide the failure itself
        details = ""
    return message, details or message


def execute_task(ctx: EngineContext, task: dict[str, Any], report: Reporter,
                 notify: Callable[[str, dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Run a deploy / action / deletion task; returns ``{"model", "action"}`` (§12.2)."""
    environment_id = task["id"]
    model = copy.deepcopy(task.get("model") or {})
    resources = ctx.resources(environment_id) if ctx.resources else TaskResources()
    result: dict[str, Any] | None = None
    try:
        result = _execute(ctx, task, model, report, notify, resources)
    finally:
        deleted = (model.get("Objects") is None and result is not None
                   and not result["action"]["isException"])
        try:
            resources.close(deleted)
        except Exception as exc:  # noqa: BLE001 - cleanup must not hide the result
            log.warning("environment %s: releasing cloud/agent resources failed: %s",
                        environment_id, exc)
    assert result is not None
    return result


def _execute(ctx: EngineContext, task: dict[str, Any], model: dict[str, Any],
             report: Reporter, notify: Callable[[str, dict[str, Any]], None] | None,
             resources: TaskResources) -> dict[str, Any]:
    environment_id = task["id"]
    action = task.get("action")
    objects = model.get("Objects")
    session = build_session(ctx, environment_id=environment_id,
                            project_id=task.get("project_id"), user_id=task.get("user_id"),
                            report=report, notify=notify, resources=resources)
    outcome: dict[str, Any]
    new_model: dict[str, Any] | None = None
    try:
        session.load({"Objects": objects, "ObjectsCopy": model.get("ObjectsCopy"),
                      "Attributes": model.get("Attributes") or []})
        result = None
        if action is not None and objects is not None:
            result = session.call(action["object_id"], action["method"],
                                  **dict(action.get("args") or {}))
        elif action is not None:
            raise InvalidInput(f"action {action.get('method')!r} needs an object model, "
                               "and this environment's Objects is null")
        if objects is None:
            session.executor.destroy_all()
            new_model = {"Objects": None, "ObjectsCopy": None, "Attributes": []}
        else:
            new_model = session.finalize()
        outcome = {"result": serialize_value(session.executor, result), "isException": False}
    except Exception as exc:
        message, details = failure(exc)
        log.info("environment %s: %s failed: %s", environment_id,
                 action["method"] if action else "deletion", message,
                 exc_info=not isinstance(exc, FornaceError))
        report(report_payload(environment_id, message, level="error", details=details))
        outcome = {"result": {"message": message, "details": details}, "isException": True}
        new_model = _model_after_failure(session, model, objects)
    envelope = {key: value for key, value in model.items()
                if key not in ("Objects", "ObjectsCopy", "Attributes")}
    envelope.update(new_model)
    return {"model": envelope, "action": outcome}


def _model_after_failure(session: Session, model: dict[str, Any],
                         objects: Any) -> dict[str, Any]:
    """What a failed run leaves: the objects as they are now (Murano serialises in
    ``finally``); a deletion keeps its ObjectsCopy so it can be retried."""
    if objects is None:
        return {"Objects": None, "ObjectsCopy": model.get("ObjectsCopy"),
                "Attributes": model.get("Attributes") or []}
    try:
        if session.root is not None:
            return session.serialize()
    except Exception as exc:
        log.warning("could not serialise the model after a failure: %s", exc)
    return {"Objects": objects, "ObjectsCopy": model.get("ObjectsCopy", objects),
            "Attributes": model.get("Attributes") or []}


def execute_static_action(ctx: EngineContext, task: dict[str, Any]) -> Any:
    """``POST /v1/actions``: a public static method, no object model; errors propagate."""
    action = task["action"]
    reports: list[dict[str, Any]] = []
    session = build_session(ctx, environment_id=task.get("id") or "",
                            project_id=task.get("project_id"), user_id=task.get("user_id"),
                            report=reports.append)
    value = session.call_static(action["class_name"], action["method"],
                                package=action.get("pkg_name") or None,
                                version=action.get("class_version") or "=0",
                                **dict(action.get("args") or {}))
    return serialize_value(session.executor, value)


def generate_schema(ctx: EngineContext, request: dict[str, Any]) -> dict[str, Any]:
    """``GET /v1/schemas/...``: the class's property schema, or its methods' arguments."""
    context = request.get("context") or {}
    session = build_session(ctx, environment_id="", project_id=context.get("project_id"),
                            user_id=None, report=lambda _payload: None)
    executor = session.executor
    executor.activate()
    cls = executor.load_class(request["class_name"], request.get("class_version") or "=0",
                              request.get("package_name") or None)
    names = request.get("method_names") or []
    if not names:
        return class_schema(cls)
    schemas: dict[str, Any] = {}
    for name in names:
        method = cls.find_method(name)
        if method is None:
            from fornace.dsl.errors import NoMethodFound
            raise NoMethodFound(name)
        properties = {arg.name: contract_schema(arg.contract_data, method.declaring_type)
                      for arg in method.arguments}
        schemas[name] = {"$schema": "http://json-schema.org/draft-04/schema#",
                         "type": "object", "properties": properties}
    return schemas
