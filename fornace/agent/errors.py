"""Errors an execution plan can end with; each becomes a result's ``ErrorCode``.

    AgentException(code)        Murano's agent error: code, message, additional data
     +-- IncorrectFormat        the plan is invalid (2) or of an unknown version (9)
     +-- CustomException        a script failed: code 100 + n (Murano's numbering)
     +-- PlanTimeout            the plan or a script ran past its timeout (code 1)

Any other exception in a plan is reported with code 1 and its message.
"""

from __future__ import annotations

from typing import Any

GENERIC_ERROR = 1
FORMAT_ERROR = 2
VERSION_ERROR = 9
SCRIPT_ERROR_BASE = 100


class AgentException(Exception):
    def __init__(self, code: int, message: str | None = None,
                 additional_data: Any = None) -> None:
        super().__init__(message)
        self.error_code = code
        self.additional_data = additional_data


class IncorrectFormat(AgentException):
    pass


class CustomException(AgentException):
    def __init__(self, code: int, message: str | None = None,
                 additional_data: Any = None) -> None:
        super().__init__(code + SCRIPT_ERROR_BASE, message, additional_data)


class PlanTimeout(AgentException):
    def __init__(self, message: str, additional_data: Any = None) -> None:
        super().__init__(GENERIC_ERROR, message, additional_data)
