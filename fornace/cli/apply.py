"""``fornace apply FILE`` and ``fornace diff FILE``: declarative environments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fornace.cli._context import client_from, output_format
from fornace.cli._manifest import Change, Manifest, load_manifest, plan
from fornace.cli._output import note, show_object
from fornace.client import FornaceClient

file_argument = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


def _current(client: FornaceClient, manifest: Manifest) -> tuple[dict[str, Any] | None,
                                                                  list[dict[str, Any]] | None]:
    from fornace.client import ClientNotFound

    try:
        env = client.find_environment(manifest.environment)
    except ClientNotFound:
        return None, None
    return env, list(client.get_environment(env["id"]).get("services") or [])


def _print_plan(ctx: click.Context, changes: list[Change]) -> None:
    if output_format(ctx) != "table":
        show_object({"changes": [c.as_dict() for c in changes]})
        return
    if not changes:
        click.echo("No changes.")
    for change in changes:
        click.echo(change.describe())


@click.command("diff")
@file_argument
@click.pass_context
def diff(ctx: click.Context, file: Path) -> None:
    """Show what 'fornace apply FILE' would change (changes nothing)."""
    manifest = load_manifest(file)
    _env, services = _current(client_from(ctx), manifest)
    _print_plan(ctx, plan(manifest, services))


@click.command("apply")
@file_argument
@click.option("--wait", is_flag=True, help="Follow the deployment until it finishes.")
@click.option("--timeout", type=float, default=None, help="With --wait: give up after this.")
@click.option("--no-deploy", is_flag=True, help="Stage the changes in a session; don't deploy.")
@click.pass_context
def apply(ctx: click.Context, file: Path, wait: bool, timeout: float | None,
          no_deploy: bool) -> None:
    """Create or update the environment described by FILE and deploy it.

    Applying the same file again changes nothing and does not redeploy.
    """
    manifest = load_manifest(file)
    client = client_from(ctx)
    env, services = _current(client, manifest)
    changes = plan(manifest, services)
    _print_plan(ctx, changes)
    if not changes:
        return
    if env is None:
        extra: dict[str, Any] = {}
        if manifest.default_networks is not ...:
            extra["defaultNetworks"] = manifest.default_networks
        env = client.create_environment(manifest.environment, region=manifest.region, **extra)
        note(f"Created environment {manifest.environment} ({env['id']})")
    env_id = env["id"]
    session_id = client.configure_environment(env_id)["id"]
    for change in changes:
        if change.op == "add":
            client.add_service(env_id, change.body, session_id)
        elif change.op == "update":
            client.replace_service(env_id, change.body, session_id, path=change.app_id)
        elif change.op == "remove":
            client.delete_service(env_id, change.app_id, session_id)
    if no_deploy:
        note(f"Changes staged in session {session_id}; deploy with 'fornace "
             f"environment-deploy {env_id} --session-id {session_id}'")
        return
    client.deploy_session(env_id, session_id)
    note(f"Deploying environment {manifest.environment} ({env_id}), session {session_id}")
    if wait:
        from fornace.cli import _watch

        _watch.finish(_watch.follow_newest(client, env_id, timeout=timeout), "deployment")
