"""The embedding API: one MuranoPL execution session over a package source.

    session = Session(source)
    root = session.load(model)                 # Objects / ObjectsCopy / Attributes
    result = session.call(root, "deploy")      # entry point: must be an action
    model = session.finalize()                 # GC of the unreachable, then serialise

:meth:`Session.execute_action` runs the whole deployment cycle of the engine
and returns Murano's result envelope.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fornace.dsl import gc
from fornace.dsl.errors import NoObjectFoundError, format_stack
from fornace.dsl.executor import ClassConfig, Executor
from fornace.dsl.expressions import thaw
from fornace.dsl.packages import PackageSource
from fornace.dsl.runtime import MuranoObject, TypeRef
from fornace.dsl.serializer import serialize_model, serialize_value
from fornace.dsl.system import SystemRegistry
from fornace.dsl.yaql_context import Limits

log = logging.getLogger(__name__)


class Session:
    def __init__(
        self,
        source: PackageSource,
        *,
        limits: Limits | None = None,
        class_config: ClassConfig | None = None,
        system_classes: SystemRegistry | None = None,
        config: Mapping[str, Any] | None = None,
        functions: Iterable[Callable[..., Any]] = (),
        force_public_tests: bool = False,
    ):
        self.executor = Executor(source, limits=limits, class_config=class_config,
                                 system_classes=system_classes, config=config,
                                 extra_functions=functions,
                                 force_public_tests=force_public_tests)
        self.root: MuranoObject | None = None

    def load(self, model: Mapping[str, Any]) -> MuranoObject | None:
        if "Objects" not in model and "ObjectsCopy" not in model:
            model = {"Objects": model}
        self.root = self.executor.load_model(model)
        return self.root

    def object(self, object_id: str) -> MuranoObject:
        obj = self.executor.get_object(object_id)
        if obj is None:
            raise NoObjectFoundError(object_id)
        return obj

    def call(self, target: MuranoObject | str, method: str, *args: Any, **kwargs: Any) -> Any:
        obj = self.object(target) if isinstance(target, str) else target
        return self.executor.call(obj, method, args, kwargs, entry=True)

    def call_static(self, class_name: str, method: str, *args: Any,
                    package: str | None = None, version: str | None = None,
                    **kwargs: Any) -> Any:
        cls = self.executor.load_class(class_name, version, package)
        return self.executor.call(self.executor.type_ref(cls), method, args, kwargs, entry=True)

    def new(self, class_name: str, **properties: Any) -> MuranoObject:
        self.executor.activate()
        return self.executor.new(class_name, properties)

    def type_ref(self, class_name: str) -> TypeRef:
        return self.executor.type_ref(self.executor.load_class(class_name))

    def collect(self) -> None:
        gc.collect(self.executor)

    def serialize(self) -> dict[str, Any]:
        return serialize_model(self.executor, self.root)

    def finalize(self) -> dict[str, Any]:
        """End of a deployment: destroy what serialisable properties do not reach."""
        self.executor.roots = [self.root] if self.root is not None else []
        gc.collect(self.executor, serializable_only=True)
        return self.serialize()

    def execute_action(self, model: Mapping[str, Any], object_id: str | None, method: str | None,
                       args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Load, collect, run the action, finalise: Murano's engine cycle and result."""
        try:
            self.load(model)
            result = None
            if object_id is not None and method is not None:
                result = self.call(object_id, method, **dict(args or {}))
            final = self.finalize()
            return {"action": {"result": serialize_value(self.executor, result),
                               "isException": False}, "model": final}
        except Exception as exc:
            log.info("MuranoPL action %s failed: %s", method, exc)
            return {"action": {"isException": True,
                               "result": {"message": str(exc), "details": format_stack(exc)}},
                    "model": None}

    def to_python(self, value: Any) -> Any:
        return thaw(value)
