"""Validation of execution plans, with murano-agent's rules, codes and messages.

Formats: FormatVersion absent or 1.x (treated as 1.0.0) up to 2.2.0. ``Scripts``
and ``Files`` must be present and be mappings. 2.0.x allows Application scripts
only; 2.1.0 adds Chef, Puppet and downloadable files; 2.2.0 adds the Berkshelf
options. Beyond Murano, names that become paths (file ids, script names, file
Names) must stay inside the plan's folder, and the optional ``Timeout`` (seconds)
must be a positive number.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import semantic_version

from fornace.agent.errors import FORMAT_ERROR, VERSION_ERROR, IncorrectFormat

MAX_VERSION = semantic_version.SimpleSpec("<=2.2.0")
_V20 = semantic_version.SimpleSpec(">=2.0.0,<2.1.0")
_V21_UP = semantic_version.SimpleSpec(">=2.1.0")
_BEFORE_V22 = semantic_version.SimpleSpec("<2.2.0")
SCRIPT_TYPES = ("Application", "Chef", "Puppet")


def format_version(plan: Mapping[str, Any]) -> semantic_version.Version:
    raw = plan.get("FormatVersion", "1.0.0")
    try:
        return semantic_version.Version(str(raw))
    except ValueError:
        raise IncorrectFormat(VERSION_ERROR, f"Unsupported format version {raw}") from None


def validate_plan(plan: Mapping[str, Any]) -> None:
    version = format_version(plan)
    if version not in MAX_VERSION:
        raise IncorrectFormat(VERSION_ERROR, f"Unsupported format version {version} "
                                             f"(I support versions {MAX_VERSION})")
    for attr in ("Scripts", "Files"):
        if attr not in plan:
            raise IncorrectFormat(FORMAT_ERROR, f"{attr} is not in the execution plan")
    for attr in ("Scripts", "Files", "Options"):
        if attr in plan and not isinstance(plan[attr], dict):
            raise IncorrectFormat(FORMAT_ERROR, f"{attr} is not a dictionary")
    if not isinstance(plan.get("Body", ""), str):
        raise IncorrectFormat(FORMAT_ERROR, "Body is not a string")
    timeout = plan.get("Timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                or timeout <= 0):
        raise IncorrectFormat(FORMAT_ERROR, f"Timeout {timeout!r} is not a positive number")
    for name, script in plan["Scripts"].items():
        _check_path_part(name, "script name")
        _validate_script(name, script, version, plan)
    for key, plan_file in plan["Files"].items():
        _check_path_part(key, "file id")
        _validate_file(plan_file, key, version)


def _check_path_part(name: Any, what: str) -> None:
    if not isinstance(name, str) or not name or "/" in name or name in (".", "..") \
            or "\0" in name:
        raise IncorrectFormat(FORMAT_ERROR, f"Invalid {what} {name!r}")


def _check_file_name(name: Any, key: str) -> None:
    path = PurePosixPath(name) if isinstance(name, str) else None
    if path is None or not name or path.is_absolute() or ".." in path.parts or "\0" in name:
        raise IncorrectFormat(FORMAT_ERROR, f"Invalid Name {name!r} in file {key}: "
                                            "it must be a relative path inside the plan")


def _validate_script(name: str, script: Any, version: semantic_version.Version,
                     plan: Mapping[str, Any]) -> None:
    if not isinstance(script, dict):
        raise IncorrectFormat(FORMAT_ERROR, f"Script {name} is not a dictionary")
    for attr in ("Type", "EntryPoint"):
        if not isinstance(script.get(attr), str):
            raise IncorrectFormat(FORMAT_ERROR, f"Incorrect {attr} entry in script {name}")
    files = plan["Files"]
    if version in _V20:
        if script["Type"] != "Application":
            raise IncorrectFormat(FORMAT_ERROR,
                                  f"Type {script['Type']} is not valid for format {version}")
        if script["EntryPoint"] not in files:
            raise IncorrectFormat(FORMAT_ERROR,
                                  f"Script {name} misses entry point {script['EntryPoint']}")
    elif version in _V21_UP:
        if script["Type"] not in SCRIPT_TYPES:
            raise IncorrectFormat(FORMAT_ERROR, f"Script has not a valid type {script['Type']}")
        if script["Type"] == "Application" and script["EntryPoint"] not in files:
            raise IncorrectFormat(FORMAT_ERROR,
                                  f"Script {name} misses entry point {script['EntryPoint']}")
        if script["Type"] != "Application" and "::" not in script["EntryPoint"]:
            raise IncorrectFormat(FORMAT_ERROR, f"Wrong EntryPoint {script['EntryPoint']} for "
                                                "Puppet/Chef executors. :: needed")
        for option in script.get("Options") or {}:
            if option in ("useBerkshelf", "berksfilePath"):
                if version in _BEFORE_V22:
                    raise IncorrectFormat(FORMAT_ERROR, f"Script has an option {option} "
                                                        f"invalid for version {version}")
                if script["Type"] != "Chef":
                    raise IncorrectFormat(FORMAT_ERROR, f"Script has an option {option} "
                                                        f"invalid for type {script['Type']}")
    if not isinstance(script.get("Options") or {}, dict):
        raise IncorrectFormat(FORMAT_ERROR, f"Options of script {name} is not a dictionary")
    if not isinstance(script.get("Files") or [], list):
        raise IncorrectFormat(FORMAT_ERROR, f"Files of script {name} is not a list")
    for extra in script.get("Files") or []:
        key = next(iter(extra), None) if isinstance(extra, dict) else extra
        if key not in files:
            raise IncorrectFormat(FORMAT_ERROR, f"Script {name} misses file {extra}")


def _validate_file(plan_file: Any, key: str, version: semantic_version.Version) -> None:
    if not isinstance(plan_file, dict):
        raise IncorrectFormat(FORMAT_ERROR, f"Invalid file {key}: {plan_file}")
    if version in _V20:
        for attr in plan_file:
            if attr in ("Type", "URL"):
                raise IncorrectFormat(FORMAT_ERROR, f"Download file is {key} not valid for "
                                                    f"this version {version}")
    if "Type" in plan_file:
        for attr in ("Type", "URL", "Name"):
            if attr not in plan_file:
                raise IncorrectFormat(FORMAT_ERROR, f"Incorrect {attr} entry in file {key}")
    elif "Body" in plan_file:
        for attr in ("BodyType", "Body", "Name"):
            if attr not in plan_file:
                raise IncorrectFormat(FORMAT_ERROR, f"Incorrect {attr} entry in file {key}")
        if plan_file["BodyType"] not in ("Text", "Base64"):
            raise IncorrectFormat(FORMAT_ERROR, f"Incorrect BodyType in file {key}")
        if not isinstance(plan_file["Body"], str):
            raise IncorrectFormat(FORMAT_ERROR, f"Body of file {key} is not a string")
    else:
        raise IncorrectFormat(FORMAT_ERROR, f"Invalid file {key}: {plan_file}")
    _check_file_name(plan_file["Name"], key)
