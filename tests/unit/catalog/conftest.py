"""Fixtures of the catalog tests: sample packages, the bad-package corpus, repositories."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest
from catalog_data import SAMPLES, load_bad_corpus_builder


@pytest.fixture(scope="session")
def bad_corpus() -> ModuleType:
    return load_bad_corpus_builder()


@pytest.fixture
def sample_copy(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a sample package folder to tmp_path so a test can change it."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SAMPLES / name, target)
        return target

    return copy
