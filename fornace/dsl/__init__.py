"""MuranoPL interpreter on yaql: the public API for embedding.

A pure library (nothing here imports the API, DB, bus or engine). Typical use::

    from fornace.dsl import DirectoryPackageSource, Session, parser_for

    source = DirectoryPackageSource(["./packages"], parser_for((1, 4)))
    session = Session(source)
    root = session.load(object_model)          # {"Objects": ..., "ObjectsCopy": ...}
    session.call(root, "deploy")
    model = session.finalize()                 # GC then serialise

The engine adapts the catalog to :class:`PackageSource`; Python system classes
are registered in a :class:`SystemRegistry` and expose only the methods marked
with :func:`murano_method`. The test harness lives in :mod:`fornace.dsl.testing`.
"""

from __future__ import annotations

from fornace.dsl.errors import (
    AmbiguousMethodName,
    AmbiguousPropertyNameError,
    CircularExpressionDependenciesError,
    ContractViolationException,
    DslContractSyntaxError,
    DslError,
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
    NoPackageFound,
    NoPropertyFound,
    NoWriteAccessError,
    ObjectDestroyedError,
    PropertyReadError,
    PropertyWriteError,
    UninitializedPropertyAccessError,
    format_stack,
    murano_names,
)
from fornace.dsl.executor import Executor
from fornace.dsl.packages import (
    CombinedPackageSource,
    DirectoryPackageSource,
    PackageDefinition,
    PackageSource,
    StaticPackageSource,
    load_class_folder,
    load_package_folder,
)
from fornace.dsl.runtime import MuranoObject, TypeRef
from fornace.dsl.schema import class_schema
from fornace.dsl.serializer import serialize_model, serialize_value
from fornace.dsl.session import Session
from fornace.dsl.system import SystemRegistry, current_executor, default_registry, murano_method
from fornace.dsl.versions import normalize_spec, parse_spec
from fornace.dsl.yaql_context import Limits, parser_for

__all__ = [
    "AmbiguousMethodName",
    "AmbiguousPropertyNameError",
    "CircularExpressionDependenciesError",
    "CombinedPackageSource",
    "ContractViolationException",
    "DirectoryPackageSource",
    "DslContractSyntaxError",
    "DslError",
    "DslInvalidOperationError",
    "DslSyntaxError",
    "Executor",
    "InvalidLhsTargetError",
    "LimitExceeded",
    "Limits",
    "MethodNotExposed",
    "MuranoObject",
    "MuranoPlException",
    "NoClassFound",
    "NoMatchingMethodException",
    "NoMethodFound",
    "NoObjectFoundError",
    "NoPackageFound",
    "NoPropertyFound",
    "NoWriteAccessError",
    "ObjectDestroyedError",
    "PackageDefinition",
    "PackageSource",
    "PropertyReadError",
    "PropertyWriteError",
    "Session",
    "StaticPackageSource",
    "SystemRegistry",
    "TypeRef",
    "UninitializedPropertyAccessError",
    "class_schema",
    "current_executor",
    "default_registry",
    "format_stack",
    "load_class_folder",
    "load_package_folder",
    "murano_method",
    "murano_names",
    "normalize_spec",
    "parse_spec",
    "parser_for",
    "serialize_model",
    "serialize_value",
]
