"""Actions, static actions and class schemas."""

from __future__ import annotations

import json

import click

from fornace.cli._context import client_from, output_format
from fornace.cli._output import note, show_object

arguments_option = click.option(
    "--arguments", "-a", multiple=True, metavar="KEY=VALUE",
    help="An argument (repeat for several); VALUE is JSON-decoded when it parses.")


@click.command("environment-action-call")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("--action-id", required=True, metavar="ACTION", help="Id of the action to run.")
@arguments_option
@click.option("--wait", is_flag=True, help="Follow the action's reports, then print its result.")
@click.option("--timeout", type=float, default=None, help="With --wait: give up after this.")
@click.pass_context
def environment_action_call(ctx: click.Context, environment: str, action_id: str,
                            arguments: tuple[str, ...], wait: bool,
                            timeout: float | None) -> None:
    """Call an action of an object in a deployed environment; prints the task id."""
    from fornace.cli._input import parse_arguments

    values = parse_arguments(arguments)
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    task_id = client.call_action(env_id, action_id, values)
    if output_format(ctx) == "table":
        click.echo(f"Created task, id: {task_id}")
    else:
        show_object({"task_id": task_id})
    if wait:
        from fornace.cli import _watch

        outcome = _watch.follow(client, env_id, task_id, timeout=timeout)
        result = client.get_action_result(env_id, task_id)
        if result:
            note(f"Task id result: {json.dumps(result)}")
        if isinstance(result, dict) and result.get("isException"):
            outcome = _watch.Outcome("completed_w_errors", (str(result.get("result")),))
        _watch.finish(outcome, f"action {action_id}")


@click.command("environment-action-get-result")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("--task-id", required=True, metavar="TASK", help="Id of the action's task.")
@click.pass_context
def environment_action_get_result(ctx: click.Context, environment: str, task_id: str) -> None:
    """Show the result of an action's task."""
    client = client_from(ctx)
    result = client.get_action_result(client.find_environment(environment)["id"], task_id)
    if output_format(ctx) == "table":
        click.echo(f"Task id result: {json.dumps(result)}")
    else:
        show_object(result)


@click.command("static-action-call")
@click.argument("class_name", metavar="CLASS")
@click.argument("method_name", metavar="METHOD")
@arguments_option
@click.option("--package-name", default="", metavar="PACKAGE",
              help="FQN of the package to look for the class in.")
@click.option("--class-version", default="", help="Version of the class (default =0).")
@click.pass_context
def static_action_call(ctx: click.Context, class_name: str, method_name: str,
                       arguments: tuple[str, ...], package_name: str,
                       class_version: str) -> None:
    """Call a static METHOD of CLASS and print its result."""
    from fornace.cli._input import parse_arguments

    result = client_from(ctx).call_static_action(
        class_name, method_name, arguments=parse_arguments(arguments),
        package_name=package_name or None, class_version=class_version or "=0")
    if output_format(ctx) == "table":
        click.echo(f"Static action result: {json.dumps(result)}")
    else:
        show_object(result)


@click.command("class-schema")
@click.argument("class_name", metavar="CLASS")
@click.argument("method_names", nargs=-1, metavar="[METHOD]...")
@click.option("--package-name", default=None, metavar="PACKAGE", help="Package FQN.")
@click.option("--class-version", default=None, help="Class version (default =0).")
@click.pass_context
def class_schema(ctx: click.Context, class_name: str, method_names: tuple[str, ...],
                 package_name: str | None, class_version: str | None) -> None:
    """Show the schema of a class's methods (all, or the METHODs given)."""
    schema = client_from(ctx).get_schema(class_name, list(method_names),
                                         package_name=package_name,
                                         class_version=class_version)
    if output_format(ctx) == "table":
        click.echo(json.dumps(schema, indent=2))
    else:
        show_object(schema)
