"""The execution session: classes, the object store, construction and calls.

An :class:`Executor` is one MuranoPL session (one deployment, one test run).
It loads classes from a :class:`~fornace.dsl.packages.PackageSource`, builds
objects from object models, invokes methods with contracts, runs the GC and
enforces the sandbox limits.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import semantic_version
from yaql.language import utils

from fornace.dsl import expressions as ex
from fornace.dsl.attributes import AttributeStore
from fornace.dsl.compiler import CompileEnv, compile_data
from fornace.dsl.contracts import ContractCall, Violation, register_contract_functions
from fornace.dsl.errors import (
    CircularExpressionDependenciesError,
    ContractViolationException,
    DslError,
    LimitExceeded,
    MuranoPlException,
    NoClassFound,
    NoObjectFoundError,
    NoPackageFound,
    NoWriteAccessError,
    PropertyReadError,
    PropertyWriteError,
    UninitializedPropertyAccessError,
    murano_names,
)
from fornace.dsl.loader import YaqlExpr
from fornace.dsl.packages import CombinedPackageSource, PackageDefinition, PackageSource
from fornace.dsl.runtime import (
    CastView,
    Frame,
    MemberAccessImpl,
    MuranoObject,
    Placeholder,
    TypeRef,
    real_object,
    run_method,
)
from fornace.dsl.types import (
    WRITABLE_USAGES,
    MuranoClass,
    MuranoMethod,
    MuranoProperty,
    Package,
    PropertyUsage,
)
from fornace.dsl.versions import parse_spec
from fornace.dsl.yaql_context import Limits, create_base_context, create_engine, is_legacy
from fornace.dsl.yaql_context import parser_for as _parser_for

log = logging.getLogger(__name__)
FrozenDict = utils.FrozenDict
_TYPE_STRING = re.compile(r"^([A-Za-z0-9_.]+)(?:/([^@]+))?(?:@([A-Za-z0-9_.]+))?$")
ClassConfig = Callable[[str, semantic_version.Version], Mapping[str, Any] | None]


def new_id() -> str:
    return uuid.uuid4().hex


class _LoadSession:
    """One object-model load: id mapping, shells created, initialisers pending."""

    def __init__(self, keep_ids: bool):
        self.keep_ids = keep_ids
        self.id_map: dict[str, MuranoObject] = {}
        self.created: list[MuranoObject] = []
        self.props: dict[int, tuple[Mapping[str, Any], MuranoClass | None]] = {}


class Executor:
    """One MuranoPL session. Use :mod:`fornace.dsl.session` for the high-level API."""

    def __init__(
        self,
        source: PackageSource,
        *,
        limits: Limits | None = None,
        class_config: ClassConfig | None = None,
        force_public_tests: bool = False,
        extra_functions: Iterable[Callable[..., Any]] = (),
        system_classes: Any = None,
        config: Mapping[str, Any] | None = None,
    ):
        from fornace.dsl import functions
        from fornace.dsl.builtin import builtin_source
        from fornace.dsl.system import SystemRegistry, default_registry

        self.limits = limits or Limits()
        self.source: PackageSource = CombinedPackageSource(source, builtin_source())
        self.class_config = class_config
        self.force_public_tests = force_public_tests
        self.config = dict(config or {})
        self.system: SystemRegistry = system_classes or default_registry()
        self.packages: dict[tuple[str, str], Package] = {}
        self.objects: dict[str, MuranoObject] = {}
        self.statics: dict[MuranoProperty, Any] = {}
        self.attributes = AttributeStore()
        self.member_access = MemberAccessImpl(self)
        self.frames: list[Frame] = []
        self.roots: list[MuranoObject] = []
        self.pinned: list[Any] = []
        self.warnings: list[str] = []
        self.log_records: list[tuple[str, str, str]] = []
        self.ticks = 0
        self.deadline = time.monotonic() + self.limits.execution_time
        self._extra_functions = list(extra_functions)
        self._functions = functions
        self._roots_ctx: dict[bool, Any] = {}
        self._contract_ctx: dict[bool, Any] = {}
        self._type_refs: dict[MuranoClass, TypeRef] = {}
        self._defaults: dict[int, tuple[Any, Callable[[Any], Any]]] = {}
        self._load_sessions: list[_LoadSession] = []
        self._lock = threading.RLock()
        self.scheduler: Any = None
        self.destroying: set[str] = set()
        self._init_args_cache: dict[MuranoClass, set[str]] = {}
        self._init_order_cache: dict[MuranoClass, list[MuranoClass]] = {}
        self._config_cache: dict[MuranoClass, dict[str, Any]] = {}

    # ------------------------------------------------------------------ engines
    def engine_for(self, runtime: tuple[int, int]) -> Any:
        return create_engine(is_legacy(runtime), self.limits)

    def parser_for(self, runtime: tuple[int, int]) -> Callable[[str], Any]:
        return _parser_for(runtime, self.limits)

    def root_context(self, legacy: bool) -> Any:
        ctx = self._roots_ctx.get(legacy)
        if ctx is None:
            ctx = _shared_root(legacy).create_child_context()
            for fn in self._extra_functions:
                ctx.register_function(fn)
            ctx["?executor"] = self
            self._roots_ctx[legacy] = ctx
        return ctx

    def contract_context(self, call: ContractCall) -> Any:
        legacy = call.scope_type.package.legacy if call.scope_type is not None else True
        ctx = self._contract_ctx.get(legacy)
        if ctx is None:
            ctx = self.root_context(legacy).create_child_context()
            register_contract_functions(ctx)
            self._contract_ctx[legacy] = ctx
        child = ctx.create_child_context()
        child["?type"] = call.scope_type
        if call.this is not None:
            child["$this"] = call.this
        return child

    def object_context(self, this: Any, cls: MuranoClass | None) -> Any:
        if cls is None:
            ctx = self.root_context(True).create_child_context()
        else:
            ctx = cls.context.create_child_context()
        ctx["$this"] = this
        ctx["$"] = this
        return ctx

    def activate(self) -> None:
        from fornace.dsl.system import set_current_executor
        ex.install_member_access(self.member_access)
        set_current_executor(self)
        # about a dozen Python frames per MuranoPL call: let the MuranoPL limit bite first
        needed = self.limits.recursion_depth * 30 + 1000
        if sys.getrecursionlimit() < needed:
            sys.setrecursionlimit(needed)

    # ------------------------------------------------------------------ limits
    def tick(self, count: int) -> None:
        if count > self.limits.loop_iterations:
            raise LimitExceeded("loop iterations", self.limits.loop_iterations, "dsl.loop_limit")
        self.ticks += 1
        if not self.ticks & 1023:
            self.check_deadline()

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded("execution time", f"{self.limits.execution_time}s",
                                "dsl.execution_time_limit")

    def enter(self, frame: Frame) -> None:
        frames = self.frames
        frames.append(frame)
        if len(frames) > self.limits.recursion_depth:
            frames.pop()
            raise LimitExceeded("recursion depth", self.limits.recursion_depth,
                                "dsl.recursion_limit")
        self.ticks += 1
        if not self.ticks & 1023:
            self.check_deadline()

    def leave(self, frame: Frame) -> None:
        frames = self.frames
        if frames and frames[-1] is frame:
            frames.pop()
        elif frame in frames:
            frames.remove(frame)

    def reset_deadline(self) -> None:
        self.deadline = time.monotonic() + self.limits.execution_time

    def warn(self, message: str) -> None:
        log.warning("%s", message)
        self.warnings.append(message)

    # ------------------------------------------------------------------ packages and classes
    def load_package(self, name: str, spec: semantic_version.SimpleSpec | None = None,
                     missing_ok: bool = False) -> Package | None:
        spec = spec or semantic_version.SimpleSpec(">=0.0.0")
        for (pname, _), package in self.packages.items():
            if pname == name and package.version in spec:
                return package
        definition = self.source.find_package(name, spec)
        if definition is None:
            if missing_ok:
                return None
            raise NoPackageFound(name, f" (version {spec})")
        return self._register_package(definition)

    def _register_package(self, definition: PackageDefinition) -> Package:
        key = (definition.name, str(definition.version))
        package = self.packages.get(key)
        if package is None:
            package = Package(definition, self)
            self.packages[key] = package
        return package

    def add_package(self, definition: PackageDefinition) -> Package:
        return self._register_package(definition)

    def system_classes_of(self, package_name: str) -> set[str]:
        return self.system.classes_of(package_name)

    def build_class(self, package: Package, name: str, doc: Any) -> MuranoClass:
        cls = MuranoClass(name, package, doc)
        package.classes[name] = cls
        try:
            cls.context = self.root_context(package.legacy).create_child_context()
            cls.context["?type"] = cls
            if package.name == "io.murano":
                self._functions.register_core_package(cls.context)
            cls.build(self)
            self.system.attach(cls, self)
        except Exception:
            package.classes.pop(name, None)
            raise
        return cls

    def load_class(self, name: str, version_spec: Any = None,
                   package_name: str | None = None) -> MuranoClass:
        if version_spec is None:
            spec = semantic_version.SimpleSpec(">=0.0.0")  # no version asked: any (newest)
        elif isinstance(version_spec, semantic_version.SimpleSpec):
            spec = version_spec
        else:
            spec = parse_spec(version_spec)
        if package_name:
            any_version = semantic_version.SimpleSpec(">=0.0.0")
            package = self.load_package(package_name,
                                        spec if version_spec is not None else any_version)
            assert package is not None
            return package.find_class(name)
        for package in list(self.packages.values()):
            if package.version in spec and name in package.classes:
                return package.classes[name]
        definition = self.source.find_class_package(name, spec)
        if definition is None:
            owner = self.system.package_of(name)
            if owner is not None:
                package = self.load_package(owner, None)
                assert package is not None
                return package.find_class(name, False)
            raise NoClassFound(name)
        return self._register_package(definition).find_class(name, False)

    def resolve_class(self, name: str, scope: MuranoClass | None,
                      version_spec: Any = None) -> MuranoClass:
        """A type name as written in ``scope``'s code -> class (through its package)."""
        if scope is None:
            return self.load_class(name, version_spec)
        full = scope.resolver.resolve(name)
        if version_spec is not None:
            return self.load_class(full, version_spec)
        return scope.package.find_class(full)

    def type_ref(self, cls: MuranoClass) -> TypeRef:
        ref = self._type_refs.get(cls)
        if ref is None:
            ref = TypeRef(cls)
            self._type_refs[cls] = ref
        return ref

    def class_of_ref(self, value: Any, scope: MuranoClass | None = None) -> MuranoClass:
        if isinstance(value, TypeRef):
            return value.type
        if isinstance(value, MuranoClass):
            return value
        if isinstance(value, str):
            return self.resolve_class(value, scope)
        raise NoClassFound(str(value))

    def evaluate_in_class(self, expr: YaqlExpr, cls: MuranoClass) -> Any:
        env = CompileEnv(cls.package.engine, cls.resolver, cls.name, "<class>")
        ctx = cls.context.create_child_context()
        return compile_data(expr, env)(ctx)

    # ------------------------------------------------------------------ defaults
    def evaluate_default(self, data: Any, context: Any) -> Any:
        if not _has_expr(data):
            return ex.freeze(data)
        entry = self._defaults.get(id(data))
        if entry is None or entry[0] is not data:
            scope = context.get_data("?type")
            engine = scope.package.engine if scope is not None else None
            env = CompileEnv(engine, scope.resolver if scope else None,
                             scope.name if scope else "", "<default>")
            entry = (data, compile_data(data, env))
            self._defaults[id(data)] = entry
        return entry[1](context)

    # ------------------------------------------------------------------ properties
    def read_property(self, obj: MuranoObject, name: str, caller: MuranoClass | None) -> Any:
        cls = obj.type
        if caller is not None and cls.is_compatible(caller):
            prop = caller.find_property(name)
            if prop is None:
                try:
                    return obj.private[(caller.name, name)]
                except KeyError:
                    raise UninitializedPropertyAccessError(name, caller.name) from None
        else:
            prop = cls.find_property(name)
            if prop is None:
                raise PropertyReadError(name, cls.name)
        if prop.usage is PropertyUsage.Static:
            return self.get_static(prop)
        try:
            return obj.values[name]
        except KeyError:
            raise UninitializedPropertyAccessError(name, prop.declaring_type.name) from None

    def write_property(self, obj: MuranoObject, name: str, value: Any,
                       caller: MuranoClass | None, *, initializing: bool = False) -> None:
        cls = obj.type
        if caller is None or initializing:
            prop = cls.find_property(name)
            if prop is None:
                raise PropertyWriteError(name, cls.name)
        elif cls.is_compatible(caller):
            prop = caller.find_property(name)
            if prop is None:
                obj.private[(caller.name, name)] = value
                return
            if prop.usage not in WRITABLE_USAGES:
                raise NoWriteAccessError(name)
            prop = cls.find_property(name) or prop
        else:
            if cls.find_property(name) is not None:
                raise NoWriteAccessError(name)
            raise PropertyWriteError(name, cls.name)
        if prop.usage is PropertyUsage.Static:
            self.set_static(prop, value, None)
            return
        call = ContractCall(self, obj, obj, prop.declaring_type, None,
                            f"{prop.declaring_type.name}.{name}")
        obj.values[name] = prop.contract.apply(value, call)

    def get_static(self, prop: MuranoProperty) -> Any:
        try:
            return self.statics[prop]
        except KeyError:
            pass
        if prop.has_default:
            ctx = prop.declaring_type.context.create_child_context()
            ref = self.type_ref(prop.declaring_type)
            ctx["$this"] = ref
            ctx["$"] = ref
            value = self.evaluate_default(prop.default, ctx)
            call = ContractCall(self, ref, None, prop.declaring_type, ctx,
                                f"{prop.declaring_type.name}.{prop.name}")
            return prop.contract.apply(value, call)
        raise UninitializedPropertyAccessError(prop.name, prop.declaring_type.name)

    def set_static(self, prop: MuranoProperty, value: Any, caller: MuranoClass | None) -> None:
        if caller is not None and not caller.is_compatible(prop.declaring_type):
            raise NoWriteAccessError(prop.name)
        ref = self.type_ref(prop.declaring_type)
        call = ContractCall(self, ref, None, prop.declaring_type, None,
                            f"{prop.declaring_type.name}.{prop.name}")
        self.statics[prop] = prop.contract.apply(value, call)

    # ------------------------------------------------------------------ calls
    def invoke(self, method: MuranoMethod, receiver: Any, args: Any,
               kwargs: Mapping[str, Any], entry: bool = False) -> Any:
        return run_method(self, method, receiver, args, kwargs, entry)

    def call(self, target: Any, method_name: str, args: Iterable[Any] = (),
             kwargs: Mapping[str, Any] | None = None, *, entry: bool = True) -> Any:
        """Call a method from outside MuranoPL (entry point: must be an action)."""
        self.activate()
        target = real_object(target) if isinstance(target, CastView) else target
        cls = target.type if isinstance(target, MuranoObject | TypeRef) else None
        if cls is None:
            raise NoObjectFoundError(str(target))
        method = cls.find_method(method_name)
        if method is None:
            from fornace.dsl.errors import NoMethodFound
            raise NoMethodFound(method_name, cls.name)
        frozen_args = [ex.freeze(a) for a in args]
        frozen_kwargs = {k: ex.freeze(v) for k, v in (kwargs or {}).items()}
        receiver = target
        if method.is_static and isinstance(target, MuranoObject):
            receiver = self.type_ref(method.declaring_type)
        return run_method(self, method, receiver, frozen_args, frozen_kwargs, entry)

    def call_python(self, method: MuranoMethod, receiver: Any, values: list[Any],
                    context: Any) -> Any:
        fn = method.python
        assert fn is not None
        def convert(value: Any) -> Any:
            return value if isinstance(value, MuranoObject) else ex.thaw(value)
        n = len(method.standard)
        args = [convert(v) for v in values[:n]]
        kwargs: dict[str, Any] = {}
        rest = values[n:]
        if method.varargs is not None:
            args.extend(convert(v) for v in rest[0])
            rest = rest[1:]
        if method.kwargs is not None:
            kwargs = {k: convert(v) for k, v in rest[0].items()}
        if method.is_static:
            result = fn(*args, **kwargs)
        else:
            obj = real_object(receiver)
            part = obj.parts.get(method.declaring_type)
            if part is None:
                part = self.system.construct(method.declaring_type, obj, {})
                obj.parts[method.declaring_type] = part
            result = fn(part, *args, **kwargs)
        return ex.freeze(result)

    def run_parallel(self, branches: list[Callable[[], Any]], limit: int) -> list[Any]:
        from fornace.dsl.concurrency import run_branches
        return run_branches(self, branches, limit)

    # ------------------------------------------------------------------ exceptions
    def exception_object(self, exc: BaseException, matched: str) -> MuranoObject:
        cls = self.load_class("io.murano.Exception")
        obj = MuranoObject(cls, new_id(), self)
        obj.state = "ready"
        from fornace.dsl.errors import format_stack
        obj.values.update({
            "name": matched,
            "message": exc.message if isinstance(exc, DslError) else str(exc),
            "stackTrace": format_stack(exc),
            "extra": ex.freeze(getattr(exc, "extra", None) or {}),
            "nativeException": None,
        })
        obj.extension = exc
        self.objects[obj.id] = obj
        return obj

    def native_exception(self, value: Any) -> BaseException | None:
        obj = real_object(value)
        ext = getattr(obj, "extension", None)
        return ext if isinstance(ext, BaseException) else None

    # ------------------------------------------------------------------ objects
    def get_object(self, object_id: str) -> MuranoObject | None:
        for session in reversed(self._load_sessions):
            found = session.id_map.get(object_id)
            if found is not None:
                return found
        return self.objects.get(object_id)

    def coerce_object(self, value: Any, type_: Any, default_type: Any, version_spec: Any,
                      call: ContractCall) -> Any:
        if value is None:
            return None
        if type(value) is CastView:
            value = value.obj
        if type(value) is Placeholder:
            return value
        cls = self.class_of_ref(type_, call.scope_type)
        if isinstance(value, Mapping):
            if call.strict:
                raise Violation(f"Value {value!r} is not an object")
            default_cls = self.class_of_ref(default_type, call.scope_type) if default_type \
                else cls
            value = self.load_definition(value, owner=call.owner, default_type=default_cls,
                                         scope=call.scope_type)
        elif isinstance(value, str):
            if call.strict:
                raise Violation(f"Value {value!r} is not an object")
            found = self.get_object(value)
            if found is None:
                raise NoObjectFoundError(value)
            value = found
        if type(value) is not MuranoObject:
            raise Violation(f"Value {ex.thaw(value)!r} cannot be represented as class {cls.name}")
        if not value.type.is_compatible(cls):
            raise Violation(
                f"Object of type {value.type.name} is not compatible with requested type "
                f"{cls.name}")
        if version_spec is not None:
            spec = parse_spec(version_spec)
            if cls.version not in spec:
                raise Violation(f"Object of type {cls.name} does not satisfy version {spec}")
        return value

    def coerce_template(self, value: Any, type_: Any, default_type: Any, version_spec: Any,
                        exclude: Any, call: ContractCall) -> Any:
        from fornace.dsl.serializer import dump_object
        if value is None:
            return None
        cls = self.class_of_ref(type_, call.scope_type)
        if type(value) in (MuranoObject, CastView):
            value = dump_object(self, real_object(value), "Mixed")
        if not isinstance(value, Mapping):
            raise Violation(f"Value {ex.thaw(value)!r} cannot be represented as template {cls.name}")
        if call.strict:
            return value
        excluded = [str(p) for p in (exclude or ())]
        default_cls = self.class_of_ref(default_type, call.scope_type) if default_type else cls
        parsed = self.parse_definition(value, default_cls, call.scope_type)
        if not parsed["type"].is_compatible(cls):
            raise Violation(f"Object of type {parsed['type'].name} is not compatible with "
                            f"requested type {cls.name}")
        props = dict(parsed["props"])
        for path in excluded:
            _drop_path(props, path.split("."))
        header = {"type": self.type_ref(parsed["type"]), "id": parsed["id"] or new_id()}
        if parsed["name"] is not None:
            header["name"] = parsed["name"]
        return ex.freeze({**props, "?": header})

    def parse_definition(self, data: Mapping[str, Any], default_type: MuranoClass | None,
                         scope: MuranoClass | None) -> dict[str, Any]:
        """An object definition in ``?`` form, inline form or plain property form."""
        if "?" in data and isinstance(data["?"], Mapping):
            header = data["?"]
            type_value = header.get("type")
            if isinstance(type_value, TypeRef):
                cls = type_value.type
            elif isinstance(type_value, str):
                m = _TYPE_STRING.match(type_value)
                if not m:
                    raise ContractViolationException(f"Invalid type string {type_value!r}")
                name, version, package = m.groups()
                version = version or header.get("classVersion")
                package = package or header.get("package")
                cls = self.load_class(name, version if version is not None else None,
                                      package) if (version is not None or package) else \
                    self._find_class_near(name, scope)
            elif type_value is None and default_type is not None:
                cls = default_type
            else:
                raise ContractViolationException(f"Object definition without type: {data!r}")
            props = {k: v for k, v in data.items() if k != "?"}
            designer = {k: v for k, v in header.items() if isinstance(k, str) and
                        k.startswith("_")}
            return {"type": cls, "id": header.get("id"), "name": header.get("name"),
                    "metadata": header.get("metadata"), "props": props,
                    "destroyed": bool(header.get("destroyed")),
                    "dependencies": header.get("dependencies"), "designer": designer}
        type_key = None
        for key in data:
            if isinstance(key, TypeRef) or (isinstance(key, str) and ":" in key):
                type_key = key
                break
        if type_key is not None:
            cls = type_key.type if isinstance(type_key, TypeRef) else self.resolve_class(
                type_key, scope)
            props = data[type_key] or {}
            designer = {k: v for k, v in data.items() if isinstance(k, str) and k.startswith("_")}
            return {"type": cls, "id": data.get("id"), "name": data.get("name"),
                    "metadata": data.get("metadata"), "props": dict(props),
                    "destroyed": bool(data.get("destroyed")),
                    "dependencies": data.get("dependencies"), "designer": designer}
        if default_type is None:
            raise ContractViolationException(f"Cannot tell the class of object {dict(data)!r}")
        return {"type": default_type, "id": None, "name": None, "metadata": None,
                "props": dict(data), "destroyed": False, "dependencies": None, "designer": {}}

    def _find_class_near(self, name: str, scope: MuranoClass | None) -> MuranoClass:
        if scope is not None:
            try:
                return scope.package.find_class(name)
            except NoClassFound:
                pass
        return self.load_class(name)

    @staticmethod
    def is_definition(data: Any) -> bool:
        if not isinstance(data, Mapping):
            return False
        if "?" in data and isinstance(data["?"], Mapping) and "type" in data["?"]:
            return True
        return any(isinstance(k, TypeRef) or (isinstance(k, str) and ":" in k) for k in data)

    def load_definition(self, data: Mapping[str, Any], *, owner: Any = None,
                        default_type: MuranoClass | None = None, scope: MuranoClass | None = None,
                        keep_ids: bool = False, name: str | None = None,
                        designer: Mapping[str, Any] | None = None) -> MuranoObject:
        """Build (and initialise) an object graph from one definition."""
        self.activate()
        if self._load_sessions:
            session = self._load_sessions[-1]
            obj = self._instantiate(session, data, owner, default_type, scope)
            return obj
        session = _LoadSession(keep_ids)
        self._load_sessions.append(session)
        try:
            root = self._instantiate(session, data, owner, default_type, scope)
            if name is not None:
                root.name = name
            if designer:
                root.designer.update(designer)
            self._initialize_session(session)
        finally:
            self._load_sessions.pop()
        for obj in session.created:
            self.objects[obj.id] = obj
        self._run_initializers(session)
        return root

    def _instantiate(self, session: _LoadSession, data: Mapping[str, Any], owner: Any,
                     default_type: MuranoClass | None, scope: MuranoClass | None) -> MuranoObject:
        parsed = self.parse_definition(data, default_type, scope)
        given_id = parsed["id"]
        if given_id is not None:
            existing = session.id_map.get(str(given_id))
            if existing is not None:
                return existing
            if session.keep_ids:
                in_store = self.objects.get(str(given_id))
                if in_store is not None:
                    # a second definition of a known object (ObjectsCopy): the object keeps
                    # its values; objects defined only inside it are built, owned by it
                    session.id_map[str(given_id)] = in_store
                    self._prescan(session, parsed["props"], in_store, scope)
                    return in_store
        object_id = str(given_id) if (given_id and session.keep_ids) else new_id()
        cls = parsed["type"]
        obj = MuranoObject(cls, object_id, self, owner=real_object(owner) if owner else None,
                           name=parsed["name"], metadata=parsed["metadata"])
        obj.designer.update(parsed["designer"])
        deps = parsed["dependencies"] or {}
        for dep in (deps.get("onDestruction") or []) if isinstance(deps, Mapping) else []:
            obj.dependencies.append((str(dep.get("subscriber")), dep.get("handler")))
        if given_id is not None:
            session.id_map[str(given_id)] = obj
        session.id_map[object_id] = obj
        session.created.append(obj)
        if parsed["destroyed"]:
            obj.destroyed = True
            obj.state = "ready"
            return obj
        session.props[id(obj)] = (parsed["props"], scope)
        # nested definitions are found now so that ids resolve in any order
        self._prescan(session, parsed["props"], obj, scope)
        return obj

    def _prescan(self, session: _LoadSession, data: Any, owner: MuranoObject,
                 scope: MuranoClass | None) -> None:
        if isinstance(data, Mapping):
            if self.is_definition(data):
                try:
                    self._instantiate(session, data, owner, None, scope)
                except (NoClassFound, ContractViolationException):
                    return
                return
            for value in data.values():
                self._prescan(session, value, owner, scope)
        elif isinstance(data, list | tuple):
            for value in data:
                self._prescan(session, value, owner, scope)

    def _initialize_session(self, session: _LoadSession) -> None:
        index = 0
        while index < len(session.created):
            obj = session.created[index]
            index += 1
            if obj.state != "new":
                continue
            props, _scope = session.props.get(id(obj), ({}, None))
            self._assign_properties(obj, props)

    def _init_argument_names(self, cls: MuranoClass) -> set[str]:
        names = self._init_args_cache.get(cls)
        if names is None:
            names = set()
            for c in cls.ancestors():
                init = c.methods.get(".init")
                if init is not None:
                    names.update(a.name for a in init.arguments)
            self._init_args_cache[cls] = names
        return names

    def _init_order(self, cls: MuranoClass) -> list[MuranoClass]:
        """Parents' parts before the child's, left to right, each class once."""
        order = self._init_order_cache.get(cls)
        if order is None:
            order = []

            def walk(c: MuranoClass) -> None:
                for parent in c.parents:
                    walk(parent)
                if c not in order:
                    order.append(c)
            walk(cls)
            self._init_order_cache[cls] = order
        return order

    def _assign_properties(self, obj: MuranoObject, props: Mapping[str, Any]) -> None:
        obj.state = "initializing"
        cls = obj.type
        skip = self._init_argument_names(cls)
        config = self._class_config(cls)
        pending: list[tuple[MuranoProperty, Any, bool, bool]] = []
        for prop in cls.all_properties().values():
            usage = prop.usage
            name = prop.name
            if usage is PropertyUsage.Static or name in skip:
                continue
            if usage is PropertyUsage.Config:
                if name in config:
                    pending.append((prop, config[name], False, False))
                elif prop.has_default:
                    pending.append((prop, prop.default, True, False))
                continue
            if usage is PropertyUsage.Runtime:
                if prop.has_default:
                    pending.append((prop, prop.default, True, True))
                continue
            if name in props:
                pending.append((prop, props[name], False, False))
            elif name in config:
                pending.append((prop, config[name], False, False))
            elif prop.has_default:
                pending.append((prop, prop.default, True, False))
            else:
                pending.append((prop, None, False, False))
        context = None
        while pending:
            progress = False
            postponed = []
            for prop, raw, is_default, lenient in pending:
                value = raw
                if is_default:
                    if context is None:
                        context = self.object_context(obj, cls)
                        context["?type"] = prop.declaring_type
                    try:
                        value = self.evaluate_default(raw, context)
                    except UninitializedPropertyAccessError:
                        postponed.append((prop, raw, is_default, lenient))
                        continue
                call = ContractCall(self, obj, obj, prop.declaring_type, None,
                                    f"{prop.declaring_type.name}.{prop.name}")
                try:
                    obj.values[prop.name] = prop.contract.apply(value, call)
                except ContractViolationException:
                    if not lenient:
                        raise
                progress = True
            if postponed and not progress:
                raise CircularExpressionDependenciesError(cls.name)
            pending = postponed
        obj.state = "assigned"

    def _class_config(self, cls: MuranoClass) -> Mapping[str, Any]:
        if self.class_config is None:
            return {}
        result = self._config_cache.get(cls)
        if result is None:
            result = {}
            for c in reversed(cls.ancestors()):
                found = self.class_config(c.name, c.version)
                if found:
                    result.update(found)
            self._config_cache[cls] = result
        return result

    def _run_initializers(self, session: _LoadSession) -> None:
        props_of = session.props
        for obj in reversed(session.created):
            if obj.state != "assigned":
                continue
            obj.state = "ready"
            props, _ = props_of.get(id(obj), ({}, None))
            self.initialize_object(obj, props)

    def initialize_object(self, obj: MuranoObject, props: Mapping[str, Any]) -> None:
        for cls in self._init_order(obj.type):
            ext = cls.extension_class
            if ext is not None and cls not in obj.parts and self.system.needs_properties(ext):
                obj.parts[cls] = obj.extension = self.system.construct(cls, obj, props)
            init = cls.methods.get(".init")
            if init is None:
                continue
            kwargs = {a.name: props[a.name] for a in init.arguments if a.name in props}
            self.activate()
            run_method(self, init, obj, (), kwargs)

    def new(self, type_: Any, props: Mapping[str, Any] | None = None, *, owner: Any = None,
            name: str | None = None, scope: MuranoClass | None = None,
            designer: Mapping[str, Any] | None = None) -> MuranoObject:
        cls = self.class_of_ref(type_, scope)
        data = {"?": {"type": self.type_ref(cls)}, **dict(props or {})}
        return self.load_definition(data, owner=owner, scope=scope, name=name, designer=designer)

    # ------------------------------------------------------------------ models
    def load_model(self, model: Mapping[str, Any]) -> MuranoObject | None:
        """Load ``{Objects, ObjectsCopy, Attributes}`` keeping ids; objects only in
        ObjectsCopy are built and then collected (their ``.destroy`` runs)."""
        from fornace.dsl import gc

        self.activate()
        self.attributes.load(model.get("Attributes") or [])
        root = None
        objects = model.get("Objects")
        if objects is not None:
            root = self.load_definition(ex.freeze(objects), keep_ids=True)
            self.roots = [root]
        copy = model.get("ObjectsCopy")
        if copy is not None:
            self.load_definition(ex.freeze(copy), keep_ids=True)
            gc.collect(self)
        return root

    def destroy_all(self) -> None:
        from fornace.dsl import gc
        self.roots = []
        gc.collect(self)


_SHARED_ROOTS: dict[bool, Any] = {}


def _shared_root(legacy: bool) -> Any:
    """yaql's library plus MuranoPL's functions: built once, never modified afterwards."""
    ctx = _SHARED_ROOTS.get(legacy)
    if ctx is None:
        from fornace.dsl import functions
        ctx = create_base_context(legacy).create_child_context()
        functions.register(ctx, legacy)
        _SHARED_ROOTS[legacy] = ctx
    return ctx


def _has_expr(data: Any) -> bool:
    if isinstance(data, YaqlExpr):
        return True
    if isinstance(data, Mapping):
        return any(_has_expr(k) or _has_expr(v) for k, v in data.items())
    if isinstance(data, list | tuple):
        return any(_has_expr(v) for v in data)
    return False


def _drop_path(props: dict[str, Any], path: list[str]) -> None:
    if not path:
        return
    if len(path) == 1:
        props.pop(path[0], None)
        return
    inner = props.get(path[0])
    if isinstance(inner, Mapping):
        inner = dict(inner)
        _drop_path(inner, path[1:])
        props[path[0]] = inner


__all__ = ["Executor", "MuranoPlException", "murano_names", "new_id"]
