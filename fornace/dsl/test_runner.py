"""Run the MuranoPL test fixtures of a package (``fornace test-runner``).

A test fixture is a class extending ``io.murano.test.TestFixture``; every
method whose name starts with ``test`` is one test. Each test runs in a fresh
session: the fixture object is built, ``setUp`` runs, then the test, then
``tearDown`` (even after a failure).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fornace.dsl.errors import MuranoPlException, format_stack
from fornace.dsl.packages import (
    DirectoryPackageSource,
    PackageDefinition,
    StaticPackageSource,
    load_class_folder,
    load_package_folder,
)
from fornace.dsl.packages import CombinedPackageSource
from fornace.dsl.session import Session
from fornace.dsl.yaql_context import Limits, parser_for

FIXTURE_CLASS = "io.murano.test.TestFixture"


@dataclass(frozen=True)
class TestResult:
    class_name: str
    method: str
    status: str  # "ok", "fail", "error"
    seconds: float
    detail: str = ""


def load_package(path: str | Path) -> PackageDefinition:
    root = Path(path)
    if (root / "manifest.yaml").is_file():
        return load_package_folder(root)
    return load_class_folder(root, name="tests")


def _source(package: PackageDefinition, dependencies: Iterable[str | Path]) -> CombinedPackageSource:
    parse = parser_for(package.runtime)
    return CombinedPackageSource(StaticPackageSource([package], parse),
                                 DirectoryPackageSource(list(dependencies), parse))


def discover(package: PackageDefinition, dependencies: Iterable[str | Path] = ()) -> dict[
        str, list[str]]:
    """Fixture classes of the package and their test methods, in file order."""
    session = Session(_source(package, dependencies), force_public_tests=True)
    executor = session.executor
    fixture = executor.load_class(FIXTURE_CLASS)
    found: dict[str, list[str]] = {}
    for name in package.class_names(parser_for(package.runtime)):
        cls = executor.load_class(name, None, package.name)
        if cls is fixture or not cls.is_compatible(fixture) or cls.usage != "Class":
            continue
        tests = [m for m in cls.all_methods() if m.startswith("test")]
        found[name] = tests
    return found


def run_test(package: PackageDefinition, class_name: str, method: str,
             dependencies: Iterable[str | Path] = (), limits: Limits | None = None) -> TestResult:
    started = time.monotonic()
    session = Session(_source(package, dependencies), force_public_tests=True, limits=limits)
    status, detail = "ok", ""
    root = None
    try:
        root = session.load({"Objects": {"?": {"type": class_name, "id": "fixture",
                                               "package": package.name}}})
        assert root is not None
        session.executor.call(root, "setUp", (), {}, entry=False)
        try:
            session.executor.reset_deadline()
            session.executor.call(root, method, (), {}, entry=True)
        finally:
            session.executor.call(root, "tearDown", (), {}, entry=False)
    except MuranoPlException as exc:
        status = "fail" if "AssertionError" in exc.names else "error"
        detail = format_stack(exc)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a test result
        status = "error"
        detail = format_stack(exc)
    finally:
        try:
            session.executor.destroy_all()
        except Exception:  # noqa: BLE001 - tear-down GC never hides the result
            pass
    return TestResult(class_name, method, status, time.monotonic() - started, detail)


def select(found: dict[str, list[str]], selectors: Iterable[str]) -> list[tuple[str, str]]:
    """``Class`` or ``Class.method`` selectors (short class names accepted)."""
    chosen: list[tuple[str, str]] = []
    selectors = list(selectors)
    if not selectors:
        return [(c, m) for c, methods in found.items() for m in methods]
    for selector in selectors:
        matched = False
        for cls, methods in found.items():
            short = cls.rsplit(".", 1)[-1]
            for prefix in (cls, short):
                if selector == prefix:
                    chosen.extend((cls, m) for m in methods)
                    matched = True
                elif selector.startswith(prefix + "."):
                    method = selector[len(prefix) + 1:]
                    if method in methods:
                        chosen.append((cls, method))
                        matched = True
        if not matched:
            raise LookupError(f"no test fixture or test method matches {selector!r}")
    return chosen
