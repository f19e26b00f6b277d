"""Environment commands (murano's ``environment-*`` and ``app-show``)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import click

from fornace.cli._context import client_from
from fornace.cli._output import ENVIRONMENT_COLUMNS, note, show_list, show_object

ENV_FIELDS = ("acquired_by", "created", "description_text", "id", "name", "services",
              "status", "tenant_id", "updated", "version")

wait_option = click.option("--wait", is_flag=True,
                           help="Follow the status reports until it finishes; exit non-zero "
                                "on failure.")
timeout_option = click.option("--timeout", type=float, default=None,
                              help="With --wait: give up after this many seconds.")


def _list(ctx: click.Context) -> None:
    show_list(client_from(ctx).list_environments(), ENVIRONMENT_COLUMNS)


@click.command("environment-list")
@click.option("--all-tenants", is_flag=True, help="All projects' environments (admin).")
@click.option("--tenant", metavar="ID", help="Only this project's environments (admin).")
@click.pass_context
def environment_list(ctx: click.Context, all_tenants: bool, tenant: str | None) -> None:
    """List the environments."""
    found = client_from(ctx).list_environments(all_tenants=all_tenants, tenant=tenant)
    show_list(found, ENVIRONMENT_COLUMNS)


def join_existing_network(net: str | None, subnet: str | None) -> dict[str, Any]:
    network: dict[str, Any] = {"?": {"id": uuid.uuid4().hex,
                                     "type": "io.murano.resources.ExistingNeutronNetwork"}}
    if net:
        network["internalNetworkName"] = net
    if subnet:
        network["internalSubnetworkName"] = subnet
    return {"environment": network, "flat": None}


@click.command("environment-create")
@click.argument("name")
@click.option("--region", metavar="REGION_NAME", help="Target region.")
@click.option("--join-net-id", metavar="NET_ID", help="Network id to join.")
@click.option("--join-subnet-id", metavar="SUBNET_ID", help="Subnetwork id to join.")
@click.pass_context
def environment_create(ctx: click.Context, name: str, region: str | None,
                       join_net_id: str | None, join_subnet_id: str | None) -> None:
    """Create an environment."""
    networks = join_existing_network(join_net_id, join_subnet_id) \
        if join_net_id or join_subnet_id else None
    env = client_from(ctx).create_environment(name, region=region, default_networks=networks)
    show_list([env], ENVIRONMENT_COLUMNS)


@click.command("environment-show")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("--session-id", metavar="SESSION_ID", help="Show the session's view.")
@click.option("--only-apps", is_flag=True, help="Only the applications.")
@click.pass_context
def environment_show(ctx: click.Context, environment: str, session_id: str | None,
                     only_apps: bool) -> None:
    """Show an environment's details."""
    show_environment(ctx, environment, session_id, only_apps)


def show_environment(ctx: click.Context, environment: str, session_id: str | None = None,
                     only_apps: bool = False) -> None:
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    env = client.get_environment(env_id, session_id=session_id)
    if only_apps:
        show_object(env.get("services", []))
    else:
        show_object(env, fields=[f for f in ENV_FIELDS if f in env] or None)


@click.command("environment-rename")
@click.argument("environment", metavar="NAME_OR_ID")
@click.argument("name")
@click.pass_context
def environment_rename(ctx: click.Context, environment: str, name: str) -> None:
    """Rename an environment."""
    client = client_from(ctx)
    env = client.rename_environment(client.find_environment(environment)["id"], name)
    show_list([env], ENVIRONMENT_COLUMNS)


@click.command("environment-delete")
@click.argument("environments", nargs=-1, required=True, metavar="NAME_OR_ID...")
@click.option("--abandon", is_flag=True,
              help="Forget the environment without deleting its resources.")
@wait_option
@timeout_option
@click.pass_context
def environment_delete(ctx: click.Context, environments: tuple[str, ...], abandon: bool,
                       wait: bool, timeout: float | None) -> None:
    """Delete environments (their resources too, unless --abandon)."""
    from fornace.client import ClientNotFound

    client = client_from(ctx)
    deleted: list[dict[str, Any]] = []
    for name in environments:
        try:
            env = client.find_environment(name)
        except ClientNotFound:
            note(f"Failed to delete '{name}'; environment not found")
            continue
        client.delete_environment(env["id"], abandon=abandon)
        deleted.append(env)
    if not deleted:
        raise click.ClickException("Unable to find and delete any of the specified "
                                   "environments.")
    if wait and not abandon:
        from fornace.cli import _watch

        for env in deleted:
            outcome = _watch.follow_newest(client, env["id"], timeout=timeout)
            _watch.finish(outcome, f"deletion of {env['name']}")
    _list(ctx)


@click.command("environment-session-create")
@click.argument("environment", metavar="NAME_OR_ID")
@click.pass_context
def environment_session_create(ctx: click.Context, environment: str) -> None:
    """Open a configuration session of an environment."""
    client = client_from(ctx)
    session = client.configure_environment(client.find_environment(environment)["id"])
    note("Created new session:")
    show_object({"id": session["id"]})


@click.command("environment-deploy")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("--session-id", required=True, metavar="SESSION", help="Session to deploy.")
@wait_option
@timeout_option
@click.pass_context
def environment_deploy(ctx: click.Context, environment: str, session_id: str, wait: bool,
                       timeout: float | None) -> None:
    """Deploy a configuration session."""
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    client.deploy_session(env_id, session_id)
    if not wait:
        show_environment(ctx, env_id)
        return
    from fornace.cli import _watch

    outcome = _watch.follow_newest(client, env_id, timeout=timeout)
    _watch.finish(outcome, "deployment")


@click.command("environment-model-show")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("--path", default="/", show_default=True, help="Section of the model.")
@click.option("--session-id", metavar="SESSION_ID", help="Show the session's view.")
@click.pass_context
def environment_model_show(ctx: click.Context, environment: str, path: str,
                           session_id: str | None) -> None:
    """Show an environment's object model (or a section of it)."""
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    _print_json(ctx, client.get_model(env_id, path, session_id=session_id))


def _print_json(ctx: click.Context, data: Any) -> None:
    from fornace.cli._context import output_format

    if output_format(ctx) == "table":
        click.echo(json.dumps(data, indent=2))
    else:
        show_object(data)


@click.command("environment-model-edit")
@click.argument("environment", metavar="NAME_OR_ID")
@click.argument("filename", required=False, metavar="[FILE]")
@click.option("--session-id", required=True, metavar="SESSION_ID", help="A config session.")
@click.pass_context
def environment_model_edit(ctx: click.Context, environment: str, filename: str | None,
                           session_id: str) -> None:
    """Edit the object model with a JSON patch from FILE (or stdin)."""
    from fornace.cli._input import check_model_patch, read_document

    patch = check_model_patch(read_document(filename, "JSON patch"))
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    _print_json(ctx, client.update_model(env_id, patch, session_id))


@click.command("environment-apps-edit")
@click.argument("environment", metavar="NAME_OR_ID")
@click.argument("filename", required=False, metavar="[FILE]")
@click.option("--session-id", required=True, metavar="SESSION_ID", help="A config session.")
@click.pass_context
def environment_apps_edit(ctx: click.Context, environment: str, filename: str | None,
                          session_id: str) -> None:
    """Edit the applications with a JSON patch (RFC 6902) from FILE (or stdin).

    The patch applies to the list of applications ('/-' appends one);
    '===id1===', '===id2===' ... in values become fresh ids.
    """
    import jsonpatch

    from fornace.cli._input import read_document, replace_id_placeholders

    document = read_document(filename, "JSON patch")
    try:
        patch = jsonpatch.JsonPatch(document)
    except (jsonpatch.JsonPatchException, TypeError, AttributeError) as exc:
        raise click.BadParameter(f"not a JSON patch: {exc}") from exc
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    services = client.get_environment(env_id, session_id=session_id).get("services") or []
    try:
        changed = patch.apply(services)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
        raise click.BadParameter(f"the patch does not apply: {exc}") from exc
    client.replace_service(env_id, replace_id_placeholders(changed), session_id)


@click.command("app-show")
@click.argument("environment", metavar="NAME_OR_ID")
@click.option("-p", "--path", default="/", show_default=True, help="Application id or path.")
@click.pass_context
def app_show(ctx: click.Context, environment: str, path: str) -> None:
    """List an environment's applications, or show the one at --path."""
    client = client_from(ctx)
    env_id = client.find_environment(environment)["id"]
    if path == "/":
        apps = client.list_services(env_id) or []
        rows = [{"id": a.get("?", {}).get("id"), "name": a.get("name"),
                 "type": a.get("?", {}).get("type")} for a in apps]
        show_list(rows, (("Id", "id"), ("Name", "name"), ("Type", "type")))
        return
    app = client.list_services(env_id, path)
    if not isinstance(app, dict) or "?" not in app:
        raise click.ClickException(f"Could not find application at path {path}")
    show_object(app)
