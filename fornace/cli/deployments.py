"""Deployments: ``deployment-list``, ``fornace status`` and ``fornace logs``."""

from __future__ import annotations

import click

from fornace.cli._context import client_from, output_format
from fornace.cli._output import DEPLOYMENT_COLUMNS, show_list, show_object


@click.command("deployment-list")
@click.argument("environment", required=False, metavar="[NAME_OR_ID]")
@click.option("--all-environments", is_flag=True, help="Deployments of every environment.")
@click.pass_context
def deployment_list(ctx: click.Context, environment: str | None,
                    all_environments: bool) -> None:
    """List the deployments of an environment (or of all of them)."""
    if environment and all_environments:
        raise click.UsageError("Environment ID and all-environments flag cannot both be set.")
    if not environment and not all_environments:
        raise click.UsageError("Either environment ID or all-environments flag must be set.")
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"] if environment else None
    show_list(client.list_deployments(env_id), DEPLOYMENT_COLUMNS)


@click.command("logs")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("--deployment", "deployment_id", metavar="ID",
              help="A deployment id (default: the newest).")
@click.option("--follow", "-f", is_flag=True, help="Keep printing reports until it finishes.")
@click.pass_context
def logs(ctx: click.Context, environment: str, deployment_id: str | None, follow: bool) -> None:
    """Print a deployment's status reports."""
    from fornace.cli import _watch

    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    if deployment_id is None:
        newest = _watch.newest_deployment(client, env_id)
        if newest is None:
            raise click.ClickException(f"environment {environment} has no deployments yet")
        deployment_id = str(newest["id"])
    if follow:
        outcome = _watch.follow(client, env_id, deployment_id)
        _watch.finish(outcome, f"deployment {deployment_id}")
        return
    reports = client.list_reports(env_id, deployment_id)
    if output_format(ctx) != "table":
        show_object(reports)
        return
    for report in reports:
        click.echo(_watch.format_report(report))


@click.command("status")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("--session-id", metavar="SESSION_ID", help="Show the session's view.")
@click.pass_context
def status(ctx: click.Context, environment: str, session_id: str | None) -> None:
    """Show an environment's objects as a tree: state, IPs and last report."""
    from fornace.cli._status import collect_status, render_tree

    client = client_from(ctx)
    env = client.find_environment(environment)
    summary = collect_status(client, env["id"], session_id)
    if output_format(ctx) != "table":
        show_object(summary)
        return
    from fornace.cli._output import console

    console().print(render_tree(summary))
