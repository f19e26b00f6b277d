"""``fornace cloud``: look after the local cloud (instances on this host)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from fornace.clouds.local.driver import LocalCloud


def _cloud() -> LocalCloud:
    from fornace.clouds.local.driver import LocalCloud
    from fornace.config import load_settings

    return LocalCloud(load_settings().data_dir)


@click.group()
def cloud() -> None:
    """Inspect and clean the local cloud."""


@cloud.command()
def doctor() -> None:
    """Check that this host can run local-cloud instances; print the fix for each problem."""
    from fornace.clouds.local.doctor import Verdict, run_checks

    checks = run_checks(_cloud().state)
    width = max(len(c.name) for c in checks)
    for check in checks:
        click.echo(f"{check.verdict.value.upper():4}  {check.name:<{width}}  {check.detail}")
        if check.fix and check.verdict is not Verdict.OK:
            click.echo(f"{'':4}  {'':<{width}}  fix: {check.fix}")
    failed = [c for c in checks if c.verdict is Verdict.FAIL]
    if failed:
        click.echo(f"{len(failed)} problem(s): the local cloud cannot run instances here.")
        sys.exit(1)
    click.echo("The local cloud can run instances on this host.")


@cloud.command()
@click.option("--dry-run", is_flag=True, help="Only list the leftovers.")
def gc(dry_run: bool) -> None:
    """Remove namespaces, interfaces, processes, mounts and folders of crashed runs."""
    from fornace.clouds.local import gc as collector

    state = _cloud().state
    found = collector.find(state) if dry_run else collector.collect(state)
    for line in found.lines():
        click.echo(("would remove " if dry_run else "removed ") + line)
    if found.empty():
        click.echo("No leftovers.")


@cloud.command(name="list")
def list_stacks() -> None:
    """List the stacks of the local cloud with their servers and addresses."""
    driver = _cloud()
    names = driver.list_stacks()
    if not names:
        click.echo("No stacks.")
        return
    for name in names:
        stack = driver.describe(name)
        click.echo(f"{name}  {stack.status.value}  {stack.status_reason}".rstrip())
        for res in stack.resources:
            if res.type != "OS::Nova::Server":
                continue
            ips = ", ".join(ip for ips in res.attributes.get("networks", {}).values() for ip in ips)
            click.echo(
                f"  {res.name}  {res.attributes.get('status')}  {ips}  "
                f"{res.attributes.get('instance_name')}"
            )
