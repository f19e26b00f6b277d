"""Errors of the MuranoPL interpreter, named as Murano names them.

MuranoPL code catches exceptions by *name* (``Catch: With: ...``), so every
class here carries ``murano_name``, the dotted name Murano used for it::

    DslError (fornace.errors.FornaceError)
     +-- MuranoPlException            Throw: in MuranoPL code; .names, .extra, .cause
     +-- DslSyntaxError               a class file or method body is malformed
     |    +-- DslContractSyntaxError  a contract is malformed
     +-- InvalidLhsTargetError        assignment to something that is not assignable
     +-- DslInvalidOperationError     Break/Continue/Rethrow used where not allowed
     +-- NoClassFound / NoPackageFound / NoObjectFoundError
     +-- NoMethodFound / AmbiguousMethodName / MethodNotExposed
     +-- NoMatchingMethodException    arguments do not fit the method (yaql's name)
     +-- NoPropertyFound / AmbiguousPropertyNameError
     +-- PropertyAccessError
     |    +-- PropertyReadError / PropertyWriteError / NoWriteAccessError
     |    +-- UninitializedPropertyAccessError
     +-- ContractViolationException   a value does not satisfy its contract
     +-- ObjectDestroyedError         a method called on a destroyed object
     +-- CircularExpressionDependenciesError
     +-- InvalidInheritanceError
     +-- LimitExceeded                a sandbox limit (iterations, depth, time, memory)

Errors raised while MuranoPL code runs collect MuranoPL frames in
``mpl_frames`` (file:line, method, class) as they unwind; :func:`format_stack`
renders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fornace.errors import FornaceError, InvalidInput


@dataclass(frozen=True)
class Location:
    """Where a piece of MuranoPL source lives (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class StackFrame:
    location: Location | None
    method: str
    type_name: str
    instruction: str = ""

    def __str__(self) -> str:
        if self.location is None:
            where = 'File "<unknown>"'
        else:
            where = f'File "{self.location.file}", line {self.location.line}:{self.location.column}'
        text = f"{where} in method {self.method} of type {self.type_name}"
        if self.instruction:
            text += f"\n    {self.instruction}"
        return text


class DslError(FornaceError):
    reference = "muranopl-error"
    murano_name = "murano.dsl.exceptions.DslError"

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message, hint=hint)


class MuranoPlException(DslError):
    """An exception raised by ``Throw:`` (or a Python error crossing into MuranoPL)."""

    reference = "muranopl-exception"

    def __init__(
        self,
        names: list[str] | tuple[str, ...],
        message: str | None,
        *,
        extra: dict[str, Any] | None = None,
        cause: BaseException | None = None,
    ):
        self.names = tuple(names)
        self.extra = dict(extra or {})
        self.cause = cause
        text = "" if message is None else str(message)
        super().__init__(text)

    def __str__(self) -> str:
        return "[{}]: {}".format(", ".join(self.names), self.message)


class DslSyntaxError(DslError):
    reference = "muranopl-syntax"
    murano_name = "murano.dsl.exceptions.DslSyntaxError"


class DslContractSyntaxError(DslSyntaxError):
    murano_name = "murano.dsl.exceptions.DslContractSyntaxError"


class InvalidLhsTargetError(DslSyntaxError):
    murano_name = "murano.dsl.exceptions.InvalidLhsTargetError"

    def __init__(self, target: str):
        super().__init__(f'Invalid assignment target "{target}"')


class DslInvalidOperationError(DslError):
    murano_name = "murano.dsl.exceptions.DslInvalidOperationError"


class NoPackageFound(DslError):
    murano_name = "murano.dsl.exceptions.NoPackageFound"

    def __init__(self, name: str, detail: str = ""):
        super().__init__(f'Package "{name}" is not found{detail}')


class NoClassFound(DslError):
    murano_name = "murano.dsl.exceptions.NoClassFound"

    def __init__(self, name: str, searched: list[str] | None = None):
        if searched:
            super().__init__('Class "{}" is not found in {}'.format(name, ", ".join(searched)))
        else:
            super().__init__(f'Class "{name}" is not found')
        self.class_name = name


class AmbiguousClassName(DslError):
    murano_name = "murano.dsl.exceptions.AmbiguousClassName"


class NoObjectFoundError(DslError):
    murano_name = "murano.dsl.exceptions.NoObjectFoundError"

    def __init__(self, object_id: str):
        super().__init__(f'Object "{object_id}" is not found in object store')


class NoMethodFound(DslError):
    murano_name = "murano.dsl.exceptions.NoMethodFound"

    def __init__(self, name: str, type_name: str = ""):
        where = f" in class {type_name}" if type_name else ""
        super().__init__(f'Method "{name}" is not found{where}')


class AmbiguousMethodName(DslError):
    murano_name = "murano.dsl.exceptions.AmbiguousMethodName"

    def __init__(self, name: str):
        super().__init__(f'Found more than one method "{name}"')


class MethodNotExposed(DslError):
    murano_name = "murano.dsl.exceptions.MethodNotExposed"

    def __init__(self, name: str, type_name: str):
        super().__init__(f'Method "{name}" of class "{type_name}" is not an action')


class NoMatchingMethodException(DslError):
    """The arguments given do not fit the method (yaql's exception name)."""

    murano_name = "yaql.language.exceptions.NoMatchingMethodException"

    def __init__(self, name: str, detail: str = ""):
        super().__init__(f'No method "{name}" for receiver matches supplied arguments{detail}')


class NoPropertyFound(DslError):
    murano_name = "murano.dsl.exceptions.NoPropertyFound"

    def __init__(self, name: str, type_name: str = ""):
        where = f" in class {type_name}" if type_name else ""
        super().__init__(f'Property "{name}" is not found{where}')


class AmbiguousPropertyNameError(DslError):
    murano_name = "murano.dsl.exceptions.AmbiguousPropertyNameError"

    def __init__(self, name: str):
        super().__init__(f'Found more than one property "{name}"')


class PropertyAccessError(DslError):
    murano_name = "murano.dsl.exceptions.PropertyAccessError"


class PropertyReadError(PropertyAccessError):
    murano_name = "murano.dsl.exceptions.PropertyReadError"

    def __init__(self, name: str, type_name: str):
        super().__init__(f'Property "{name}" in class "{type_name}" cannot be read')


class PropertyWriteError(PropertyAccessError):
    murano_name = "murano.dsl.exceptions.PropertyWriteError"

    def __init__(self, name: str, type_name: str):
        super().__init__(f'Property "{name}" in class "{type_name}" cannot be written')


class NoWriteAccessError(PropertyAccessError):
    murano_name = "murano.dsl.exceptions.NoWriteAccessError"

    def __init__(self, name: str):
        super().__init__(f'Property "{name}" is immutable to the caller')


class UninitializedPropertyAccessError(PropertyAccessError):
    murano_name = "murano.dsl.exceptions.UninitializedPropertyAccessError"

    def __init__(self, name: str, type_name: str):
        super().__init__(
            f'Access to uninitialized property "{name}" in class "{type_name}" is forbidden'
        )


class ContractViolationException(DslError, InvalidInput):
    murano_name = "murano.dsl.exceptions.ContractViolationException"


class ObjectDestroyedError(DslError):
    murano_name = "murano.dsl.exceptions.ObjectDestroyedError"

    def __init__(self, obj: object):
        super().__init__(f"Object {obj} is already destroyed")


class CircularExpressionDependenciesError(DslError):
    murano_name = "murano.dsl.exceptions.CircularExpressionDependenciesError"

    def __init__(self, type_name: str = ""):
        super().__init__(f"Circular expression dependencies in defaults of {type_name}")


class InvalidInheritanceError(DslError):
    murano_name = "murano.dsl.exceptions.InvalidInheritanceError"


class LimitExceeded(DslError):
    """A sandbox limit was hit; the message names the limit and the setting."""

    reference = "muranopl-limit"
    murano_name = "murano.dsl.exceptions.LimitExceeded"

    def __init__(self, limit: str, value: object, setting: str):
        super().__init__(
            f"MuranoPL {limit} limit of {value} exceeded",
            hint=f"simplify the package code or raise the setting {setting}",
        )
        self.limit = limit
        self.setting = setting


def murano_names(exc: BaseException) -> tuple[str, ...]:
    """The names MuranoPL's ``Catch: With:`` compares against."""
    if isinstance(exc, MuranoPlException):
        return exc.names
    name = getattr(type(exc), "murano_name", None)
    if name:
        return (name,)
    cls = type(exc)
    if cls.__module__ == "builtins":
        return (cls.__name__,)
    return (f"{cls.__module__}.{cls.__name__}",)


def add_frame(exc: BaseException, frame: StackFrame) -> None:
    frames: list[StackFrame] | None = getattr(exc, "mpl_frames", None)
    if frames is None:
        frames = []
        try:
            exc.mpl_frames = frames  # type: ignore[attr-defined]
        except AttributeError:
            return
    frames.append(frame)


def format_stack(exc: BaseException) -> str:
    """A MuranoPL stack trace: the error line then innermost frame first."""
    names = murano_names(exc)
    lines = [f"{names[0]}: {exc.message if isinstance(exc, FornaceError) else exc}"]
    for frame in getattr(exc, "mpl_frames", []):
        lines.append("  " + str(frame).replace("\n", "\n  "))
    cause = getattr(exc, "cause", None)
    if cause is not None and cause is not exc:
        lines.append("Caused by " + format_stack(cause))
    return "\n".join(lines)
