"""Exit codes of the ``fornace`` command, named in one place."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    SUCCESS = 0
    ERROR = 1                 # any other failure
    USAGE = 2                 # bad arguments (click's own code)
    DEPLOYMENT_FAILED = 3     # --wait saw the deployment end with errors
    NOT_FOUND = 4
    CONFLICT = 5
    NOT_AUTHENTICATED = 6
    FORBIDDEN = 7
    UNAVAILABLE = 8           # server unreachable or answering 5xx
    INVALID_INPUT = 9
    INTERRUPTED = 130


def exit_code_for(exc: BaseException) -> ExitCode:
    """The most specific code for a FornaceError category."""
    from fornace import errors

    table: list[tuple[type[BaseException], ExitCode]] = [
        (errors.NotFound, ExitCode.NOT_FOUND),
        (errors.Conflict, ExitCode.CONFLICT),
        (errors.NotAuthenticated, ExitCode.NOT_AUTHENTICATED),
        (errors.Forbidden, ExitCode.FORBIDDEN),
        (errors.ServiceUnavailable, ExitCode.UNAVAILABLE),
        (errors.InvalidInput, ExitCode.INVALID_INPUT),
    ]
    for cls, code in table:
        if isinstance(exc, cls):
            return code
    return ExitCode.ERROR
