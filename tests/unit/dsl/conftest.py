from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fornace.dsl.testing import Runner

META = Path(__file__).parent / "meta"


@pytest.fixture
def make_runner() -> Iterator[Callable[..., Runner]]:
    """Factory: ``make_runner(model, **options)`` over the fixture classes in meta/."""
    runners: list[Runner] = []

    def factory(model: Any, **options: Any) -> Runner:
        runner = Runner(model, [META], **options)
        runners.append(runner)
        return runner

    yield factory
    for runner in runners:
        try:
            runner.close()
        except Exception:  # noqa: BLE001 - tear-down GC of a failed test
            pass
