"""Every bus test runs on RabbitMQ and on the broker-less spool."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fornace.bus import MessageBus, open_bus
from fornace.testing.bus import BUS_KINDS, bus_url_for


@pytest.fixture(params=BUS_KINDS)
def bus_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return bus_url_for(request.param, tmp_path)


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_bus(bus_url: str, prefix: str) -> Iterator:  # type: ignore[type-arg]
    """Open buses on the test's URL and prefix; queues they used are deleted afterwards."""
    opened: list[MessageBus] = []
    extra_queues: list[str] = []

    def make(*, queues: list[str] | None = None) -> MessageBus:
        bus = open_bus(bus_url, prefix=prefix)
        opened.append(bus)
        extra_queues.extend(queues or [])
        return bus

    yield make
    if opened:
        cleaner = open_bus(bus_url, prefix=prefix)
        for queue in [cleaner.tasks_queue, cleaner.results_queue, cleaner.reports_queue,
                      *extra_queues]:
            cleaner.delete_queue(queue)
        cleaner.close()
    for bus in opened:
        bus.close()
