"""Following a deployment: its reports as they arrive, then its final state.

Used by ``--wait`` (environment-deploy, environment-delete,
environment-action-call) and ``fornace logs --follow``. The state comes from
the deployment list, the reports from ``GET .../deployments/{id}``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from fornace.client import ClientNotFound, FornaceClient

POLL_SECONDS = 1.0
FAILED_STATES = frozenset({"completed_w_errors"})


@dataclass(frozen=True)
class Outcome:
    state: str             # final task state, or "deleted" when the environment went away
    errors: tuple[str, ...]

    @property
    def failed(self) -> bool:
        return self.state in FAILED_STATES


def format_report(report: dict[str, Any]) -> str:
    level = str(report.get("level") or "info")
    text = str(report.get("text") or "")
    when = str(report.get("created") or "")
    marker = {"error": "ERROR", "warning": "WARN "}.get(level, "     ")
    line = f"{when}  {marker} {text}"
    details = report.get("details")
    if level == "error" and details:
        line += f"\n    {str(details).strip().splitlines()[-1]}"
    return line


def newest_deployment(client: FornaceClient, environment_id: str) -> dict[str, Any] | None:
    found = client.list_deployments(environment_id)
    return found[0] if found else None


def deployment_state(client: FornaceClient, environment_id: str,
                     deployment_id: str) -> str | None:
    for deployment in client.list_deployments(environment_id):
        if deployment["id"] == deployment_id:
            return str(deployment["state"])
    return None


def follow(client: FornaceClient, environment_id: str, deployment_id: str, *,
           emit: Callable[[str], None] | None = None, timeout: float | None = None,
           progress: bool = True) -> Outcome:
    """Print reports of a deployment until it finishes; the final state."""
    emit = emit or (lambda line: click.echo(line))
    seen: set[str] = set()
    errors: list[str] = []
    started = time.monotonic()
    status = _progress(progress)
    try:
        while True:
            try:
                state = deployment_state(client, environment_id, deployment_id)
                reports = client.list_reports(environment_id, deployment_id)
            except ClientNotFound:
                return Outcome("deleted", tuple(errors))
            for report in reports:
                key = str(report.get("id"))
                if key in seen:
                    continue
                seen.add(key)
                if report.get("level") == "error":
                    errors.append(str(report.get("text")))
                emit(format_report(report))
            if state is None:
                return Outcome("deleted", tuple(errors))
            if not state.startswith("running"):
                return Outcome(state, tuple(errors))
            elapsed = time.monotonic() - started
            if status is not None:
                status.update(f"deployment {deployment_id}: {state}, {len(seen)} reports, "
                              f"{elapsed:.0f}s")
            if timeout is not None and elapsed > timeout:
                from fornace.errors import ServiceUnavailable

                raise ServiceUnavailable(
                    f"deployment {deployment_id} is still {state} after {timeout:.0f}s",
                    hint="follow it later with 'fornace logs ENV --follow'",
                    reference="wait-timeout")
            time.sleep(POLL_SECONDS)
    finally:
        if status is not None:
            status.stop()


def _progress(enabled: bool) -> Any:
    """A live progress line on stderr when it is a terminal; None otherwise."""
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console

    status = Console(stderr=True).status("waiting for the first report")
    status.start()
    return status


def finish(outcome: Outcome, what: str) -> None:
    """One summary line on stderr and the exit code of a --wait."""
    from fornace.cli.exit_codes import ExitCode

    if outcome.failed:
        first = f": {outcome.errors[0]}" if outcome.errors else ""
        click.echo(f"Error: {what} failed ({outcome.state}){first}", err=True)
        raise click.exceptions.Exit(int(ExitCode.DEPLOYMENT_FAILED))
    click.echo(f"{what} finished: {outcome.state}", err=True)


def follow_newest(client: FornaceClient, environment_id: str, *,
                  timeout: float | None = None) -> Outcome:
    """Follow the environment's newest deployment (the one just started)."""
    try:
        deployment = newest_deployment(client, environment_id)
    except ClientNotFound:
        return Outcome("deleted", ())
    if deployment is None:
        return Outcome("deleted", ())
    return follow(client, environment_id, str(deployment["id"]), timeout=timeout)
