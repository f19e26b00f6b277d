"""Version specs as Murano normalises them (Require, classVersion, cast/class specs)."""

from __future__ import annotations

import re

import semantic_version

_CLAUSE = re.compile(r"^(>=|<=|==|!=|>|<|=)?\s*(\d+(?:\.\d+){0,2})(-[0-9A-Za-z.-]+)?$")


def coerce_version(text: str | None) -> semantic_version.Version:
    if text is None or str(text).strip() == "":
        return semantic_version.Version("0.0.0")
    return semantic_version.Version.coerce(str(text))


def _bump(parts: list[int]) -> str:
    """The first version above every version starting with ``parts``."""
    if len(parts) == 1:
        return f"{parts[0] + 1}.0.0"
    return f"{parts[0]}.{parts[1] + 1}.0"


def normalize_spec(text: str | int | float | None) -> str:
    """Murano's normalisation: '' -> '>=0.0.0,<1.0.0', '1.2' bound widening, '==1.2' ranges."""
    if text is None:
        text = ""
    raw = re.sub(r"\s+", "", str(text))
    if raw == "":
        return ">=0.0.0,<1.0.0"
    out: list[str] = []
    for clause in raw.split(","):
        m = _CLAUSE.match(clause)
        if not m:
            raise ValueError(f"invalid version spec {text!r}")
        op, ver, pre = m.group(1) or "", m.group(2), m.group(3) or ""
        parts = [int(p) for p in ver.split(".")]
        full = len(parts) == 3
        if op == "=":
            op = "=="
        if op == "":
            if full:
                out.append(f"=={ver}{pre}")
            else:
                out.append(f">={'.'.join(map(str, parts + [0] * (3 - len(parts))))}")
                out.append(f"<{_bump(parts)}")
            continue
        if full:
            out.append(f"{op}{ver}{pre}")
            continue
        padded = ".".join(map(str, parts + [0] * (3 - len(parts))))
        if op == ">=":
            out.append(f">={padded}")
        elif op == ">":
            out.append(f">={_bump(parts)}")
        elif op == "<":
            out.append(f"<{padded}")
        elif op == "<=":
            out.append(f"<{_bump(parts)}")
        elif op == "==":
            out.append(f">={padded}")
            out.append(f"<{_bump(parts)}")
        elif op == "!=":
            out.append(f">={_bump(parts)}")
    return ",".join(out)


def parse_spec(text: str | int | float | None) -> semantic_version.SimpleSpec:
    return semantic_version.SimpleSpec(normalize_spec(text))


def same_major(version: semantic_version.Version) -> semantic_version.SimpleSpec:
    return semantic_version.SimpleSpec(f">={version.major}.0.0,<{version.major + 1}.0.0")
