"""Result documents, as murano-agent wrote them (always FormatVersion 2.0.0)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from fornace.agent.errors import GENERIC_ERROR, AgentException


def _now() -> str:
    return str(datetime.datetime.now(datetime.UTC).replace(tzinfo=None))


def from_result(result: Any, plan_id: str) -> dict[str, Any]:
    return {"FormatVersion": "2.0.0", "ID": uuid.uuid4().hex, "SourceID": plan_id,
            "Action": "Execution:Result", "ErrorCode": 0, "Body": result, "Time": _now()}


def from_error(error: BaseException | int, plan_id: str) -> dict[str, Any]:
    code, message, additional = GENERIC_ERROR, None, None
    if isinstance(error, int):
        code = error
    else:
        message = str(error)
        if isinstance(error, AgentException):
            code, additional = error.error_code, error.additional_data
    return {"FormatVersion": "2.0.0", "ID": uuid.uuid4().hex, "SourceID": plan_id,
            "Action": "Execution:Result", "ErrorCode": code,
            "Body": {"Message": message, "AdditionalInfo": additional}, "Time": _now()}
