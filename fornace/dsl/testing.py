"""A harness like Murano's DSL test foundation.

    runner = Runner("SampleClass1", [META_DIR])     # class name, model helper or dict
    assert runner.testFoo(1) == 2                    # calls public method testFoo
    assert runner.traces == ["x"]                    # what trace() was called with

``runner.on(obj).method()`` targets another object, ``runner.on_class(name)``
a static method. Exceptions surface as themselves (ContractViolationException,
NoWriteAccessError...), named as Murano names them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from yaql.language import specs

from fornace.dsl.errors import (
    AmbiguousMethodName,
    AmbiguousPropertyNameError,
    CircularExpressionDependenciesError,
    ContractViolationException,
    DslContractSyntaxError,
    DslInvalidOperationError,
    DslSyntaxError,
    InvalidLhsTargetError,
    LimitExceeded,
    MethodNotExposed,
    MuranoPlException,
    NoClassFound,
    NoMatchingMethodException,
    NoMethodFound,
    NoObjectFoundError,
    NoPropertyFound,
    NoWriteAccessError,
    ObjectDestroyedError,
    PropertyReadError,
    PropertyWriteError,
    UninitializedPropertyAccessError,
)
from fornace.dsl.expressions import thaw
from fornace.dsl.packages import (
    CombinedPackageSource,
    PackageDefinition,
    StaticPackageSource,
    load_class_folder,
    load_package_folder,
)
from fornace.dsl.runtime import MuranoObject
from fornace.dsl.serializer import serialize_model
from fornace.dsl.session import Session
from fornace.dsl.yaql_context import Limits, parser_for


class Object:
    """An object definition for a test model."""

    def __init__(self, type_name: str, object_id: str | None = None,
                 class_version: str | None = None, **props: Any):
        self.type_name = type_name
        self.id = object_id or uuid.uuid4().hex
        self.class_version = class_version
        self.props = props

    def to_model(self) -> dict[str, Any]:
        header: dict[str, Any] = {"type": self.type_name, "id": self.id}
        if self.class_version is not None:
            header["classVersion"] = self.class_version
        return {"?": header, **{k: to_model(v) for k, v in self.props.items()}}


class Ref:
    """A reference (by id) to an object defined elsewhere in the model."""

    def __init__(self, target: Object | str):
        self.id = target.id if isinstance(target, Object) else target


class Attribute:
    def __init__(self, obj: Object | str, key: str, value: Any, owner: str | None = None):
        self.id = obj.id if isinstance(obj, Object) else obj
        self.key = key
        self.value = value
        self.owner = owner


def to_model(value: Any) -> Any:
    if isinstance(value, Object):
        return value.to_model()
    if isinstance(value, Ref):
        return value.id
    if isinstance(value, Mapping):
        return {k: to_model(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_model(v) for v in value]
    return value


_FOLDER_CACHE: dict[tuple[str, str, tuple[int, int], float], PackageDefinition] = {}


def _folder_package(path: Path, name: str, runtime: tuple[int, int]) -> PackageDefinition:
    stamp = max((f.stat().st_mtime for f in path.rglob("*.yaml")), default=0.0)
    key = (str(path.resolve()), name, runtime, stamp)
    package = _FOLDER_CACHE.get(key)
    if package is None:
        if (path / "manifest.yaml").is_file():
            package = load_package_folder(path)
        else:
            package = load_class_folder(path, name=name, runtime=runtime)
        _FOLDER_CACHE[key] = package
    return package


def package_source(paths: Iterable[str | Path], name: str = "tests",
                   runtime: tuple[int, int] = (1, 0)) -> StaticPackageSource:
    """Package folders (with manifest.yaml) or plain class folders (one package each)."""
    packages = [_folder_package(Path(p), name, runtime) for p in paths]
    return StaticPackageSource(packages, parser_for(runtime))


class _Target:
    def __init__(self, runner: Runner, target: Any):
        self._runner = runner
        self._target = target

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("__"):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._runner.call(self._target, name, *args, **kwargs)
        return call


class Runner:
    def __init__(
        self,
        model: Any,
        packages: Iterable[str | Path] | Any,
        *,
        class_config: Mapping[str, Mapping[str, Any]] | None = None,
        limits: Limits | None = None,
        functions: Iterable[Callable[..., Any]] = (),
        config: Mapping[str, Any] | None = None,
        system_classes: Any = None,
    ):
        self.traces: list[Any] = []

        @specs.parameter("value", nullable=True)
        @specs.name("trace")
        def trace(value: Any) -> None:
            self.traces.append(thaw(value))

        source = packages if hasattr(packages, "find_package") else package_source(packages)
        configs = {k: dict(v) for k, v in (class_config or {}).items()}
        self.session = Session(
            CombinedPackageSource(source), limits=limits,
            class_config=lambda name, version: configs.get(name),
            functions=[trace, *functions], config=config, force_public_tests=True,
            system_classes=system_classes)
        self.executor = self.session.executor
        self.root = self.session.load(self._model(model))

    @staticmethod
    def _model(model: Any) -> dict[str, Any]:
        if isinstance(model, str):
            model = Object(model)
        if isinstance(model, Object):
            return {"Objects": model.to_model()}
        if isinstance(model, Mapping) and ("Objects" in model or "ObjectsCopy" in model):
            result = dict(model)
            for key in ("Objects", "ObjectsCopy"):
                if key in result:
                    result[key] = to_model(result[key])
            result["Attributes"] = [
                [a.id, a.owner or "", a.key, a.value] if isinstance(a, Attribute) else a
                for a in result.get("Attributes", [])]
            return result
        return {"Objects": to_model(model)}

    def call(self, target: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        if isinstance(target, str):
            target = self.session.object(target)
        self.executor.reset_deadline()
        result = self.executor.call(target, method, [to_model(a) for a in args],
                                    {k: to_model(v) for k, v in kwargs.items()}, entry=True)
        return thaw(result)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.call(self.root, name, *args, **kwargs)
        return call

    def on(self, obj: MuranoObject | Object | str) -> _Target:
        target = obj.id if isinstance(obj, Object) else obj
        return _Target(self, target)

    def on_class(self, class_name: str) -> _Target:
        return _Target(self, self.session.type_ref(class_name))

    @property
    def serialized_model(self) -> dict[str, Any]:
        return serialize_model(self.executor, self.root)

    def close(self) -> None:
        self.executor.destroy_all()


__all__ = [
    "AmbiguousMethodName", "AmbiguousPropertyNameError", "Attribute",
    "CircularExpressionDependenciesError", "ContractViolationException",
    "DslContractSyntaxError", "DslInvalidOperationError", "DslSyntaxError",
    "InvalidLhsTargetError", "LimitExceeded", "MethodNotExposed", "MuranoPlException",
    "NoClassFound", "NoMatchingMethodException", "NoMethodFound", "NoObjectFoundError",
    "NoPropertyFound", "NoWriteAccessError", "Object", "ObjectDestroyedError",
    "PropertyReadError", "PropertyWriteError", "Ref", "Runner",
    "UninitializedPropertyAccessError", "package_source", "to_model",
]
