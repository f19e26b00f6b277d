"""The seam between the API and the engine: where task messages go.

The API writes task rows, then hands the task message to a TaskPublisher.
The engine issue connects a publisher to the bus; until one is configured the
NullPublisher leaves tasks queued (their rows stay unfinished) and the
synchronous calls (static actions, schemas) answer 503.
"""

from __future__ import annotations

from typing import Any, Protocol

from fornace.errors import ServiceUnavailable


class TaskPublisher(Protocol):
    def publish_task(self, task: dict[str, Any]) -> None:
        """Fire and forget: a deploy, delete or action task (Murano's handle_task cast)."""

    def call_static_action(self, task: dict[str, Any], timeout: float) -> Any:
        """Run a static method in an engine and return its serialised result."""

    def generate_schema(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Ask an engine for the JSON schema of a class or of its methods."""


class NullPublisher:
    """No engine connected: tasks stay queued; synchronous calls fail with 503."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish_task(self, task: dict[str, Any]) -> None:
        self.published.append(task)

    def call_static_action(self, task: dict[str, Any], timeout: float) -> Any:
        raise ServiceUnavailable(
            "no deployment engine is connected to this API server",
            hint="start 'fornace engine' (or run 'fornace serve') with the same FORNACE_BUS_URL",
            reference="engine-unavailable",
        )

    def generate_schema(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        return self.call_static_action(request, timeout)  # type: ignore[no-any-return]
