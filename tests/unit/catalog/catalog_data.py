"""Paths of the catalog test data and the loader of the bad-package builder."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLES = DATA / "packages"
BAD = DATA / "bad_packages"


def load_bad_corpus_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bad_packages_build", BAD / "build.py")
    if spec is None or spec.loader is None:
        raise ImportError(BAD / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
