"""Version specs as Murano read them, and picking a package version for the engine.

Murano parsed ``Require`` values and ``classVersion`` with semantic_version's
``Spec`` (the "simple" syntax, now :class:`semantic_version.SimpleSpec`; not
``NpmSpec``): an empty spec means ``0`` (any 0.x.y: every package without a
``Version`` is 0.0.0), ``*`` means any version, a bare version is an
equality, and a partial version is widened to its range, so ``1`` =
``>=1.0.0,<2.0.0-0`` and ``==1.2`` = ``>=1.2.0,<1.3.0-0``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

import semantic_version

if TYPE_CHECKING:
    from fornace.catalog.package import LoadedPackage

P = TypeVar("P", bound="LoadedPackage")

_OPERATOR_RE = re.compile(r"^(==|!=|>=|<=|>|<|=)?(.*)$")


_PARTIAL_RE = re.compile(r"^(\d+)(?:\.(\d+)(?:\.(\d+))?)?([-+][0-9A-Za-z.+-]*)?$")


def _partial(text: str) -> tuple[int, int | None, int | None, str]:
    """``(major, minor, patch, rest)`` of a possibly partial version text."""
    match = _PARTIAL_RE.match(text)
    if match is None:
        raise ValueError(f"invalid version {text!r}")
    major, minor, patch, rest = match.groups()
    return (int(major), None if minor is None else int(minor),
            None if patch is None else int(patch), rest or "")


def _expand(op: str, text: str) -> list[str]:
    major, minor, patch, rest = _partial(text)
    if patch is not None:
        return [f"{op}{major}.{minor}.{patch}{rest}"]
    low = f"{major}.{minor or 0}.0"
    high = f"{major + 1}.0.0" if minor is None else f"{major}.{minor + 1}.0"
    if op == "==":
        return [f">={low}", f"<{high}-0"]
    if op == ">=":
        return [f">={low}"]
    if op == ">":
        return [f">={high}-0"]
    if op == "<":
        return [f"<{low}-0"]
    if op == "<=":
        return [f"<{high}-0"]
    # "!=" of a partial version: Murano turned it into ">= next"; keep that reading.
    return [f">={high}-0"]


def parse_version_spec(spec: object) -> semantic_version.SimpleSpec:
    """A normalised :class:`SimpleSpec`; raises ValueError for text that is no spec."""
    text = re.sub(r"\s+", "", "" if spec is None else str(spec))
    if text == "":
        text = "0"   # Murano: no spec means major version 0
    if text == "*":
        return semantic_version.SimpleSpec(">=0.0.0")
    parts: list[str] = []
    for clause in text.split(","):
        match = _OPERATOR_RE.match(clause)
        if match is None or not match.group(2):
            raise ValueError(f"invalid version spec {text!r}")
        op = match.group(1) or "=="
        if op == "=":
            op = "=="
        if match.group(2) == "*":
            continue
        try:
            parts.extend(_expand(op, match.group(2)))
        except ValueError as exc:
            raise ValueError(f"invalid version spec {text!r}") from exc
    return semantic_version.SimpleSpec(",".join(parts) or ">=0.0.0")


def parse_version(version: object) -> semantic_version.Version:
    text = "0" if version is None or version == "" else str(version)
    return semantic_version.Version.coerce(text)


def matching_versions(packages: Iterable[P], spec: object) -> list[P]:
    """Packages whose Version satisfies ``spec``, highest first."""
    parsed = parse_version_spec(spec)
    found = [p for p in packages if parse_version(p.version) in parsed]
    return sorted(found, key=lambda p: parse_version(p.version), reverse=True)


def select_version(packages: Sequence[P], spec: object) -> P | None:
    """The highest version of one package that satisfies a Require or classVersion spec."""
    found = matching_versions(packages, spec)
    return found[0] if found else None
