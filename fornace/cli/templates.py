"""Environment template commands (murano's ``env-template-*``)."""

from __future__ import annotations

import click

from fornace.cli._context import client_from
from fornace.cli._output import TEMPLATE_COLUMNS, show_list, show_object


def _show(ctx: click.Context, template_id: str) -> None:
    show_object(client_from(ctx).get_template(template_id))


@click.command("env-template-list")
@click.pass_context
def env_template_list(ctx: click.Context) -> None:
    """List the environment templates."""
    show_list(client_from(ctx).list_templates(), TEMPLATE_COLUMNS)


@click.command("env-template-create")
@click.argument("name", metavar="ENV_TEMPLATE_NAME")
@click.option("--is-public", is_flag=True, help="Share the template with other projects.")
@click.pass_context
def env_template_create(ctx: click.Context, name: str, is_public: bool) -> None:
    """Create an environment template."""
    show_list([client_from(ctx).create_template(name, is_public=is_public)], TEMPLATE_COLUMNS)


@click.command("env-template-show")
@click.argument("template_id", metavar="ID")
@click.pass_context
def env_template_show(ctx: click.Context, template_id: str) -> None:
    """Show a template's details."""
    _show(ctx, template_id)


@click.command("env-template-update")
@click.argument("template_id", metavar="ID")
@click.argument("name", metavar="ENV_TEMPLATE_NAME")
@click.pass_context
def env_template_update(ctx: click.Context, template_id: str, name: str) -> None:
    """Rename a template."""
    show_list([client_from(ctx).update_template(template_id, name)], TEMPLATE_COLUMNS)


@click.command("env-template-delete")
@click.argument("template_ids", nargs=-1, required=True, metavar="ID...")
@click.pass_context
def env_template_delete(ctx: click.Context, template_ids: tuple[str, ...]) -> None:
    """Delete templates."""
    from fornace.cli._bulk import delete_each

    client = client_from(ctx)
    delete_each(template_ids, client.delete_template, "environment template")
    show_list(client.list_templates(), TEMPLATE_COLUMNS)


@click.command("env-template-add-app")
@click.argument("template_id", metavar="ID")
@click.argument("app_file", metavar="APP_TEMPLATE_FILE")
@click.pass_context
def env_template_add_app(ctx: click.Context, template_id: str, app_file: str) -> None:
    """Add the application(s) of a JSON/YAML file (one object or a list) to a template."""
    from fornace.cli._input import read_document

    apps = read_document(app_file, "application file")
    client = client_from(ctx)
    for app in apps if isinstance(apps, list) else [apps]:
        client.add_template_app(template_id, app)
    _show(ctx, template_id)


@click.command("env-template-del-app")
@click.argument("template_id", metavar="ID")
@click.argument("app_id", metavar="APP_ID")
@click.pass_context
def env_template_del_app(ctx: click.Context, template_id: str, app_id: str) -> None:
    """Remove an application from a template."""
    client_from(ctx).delete_template_app(template_id, app_id)
    _show(ctx, template_id)


@click.command("env-template-create-env")
@click.argument("template_id", metavar="ID")
@click.argument("name", metavar="ENV_NAME")
@click.option("--region", metavar="REGION_NAME", help="Target region.")
@click.pass_context
def env_template_create_env(ctx: click.Context, template_id: str, name: str,
                            region: str | None) -> None:
    """Create an environment (and an open session) from a template."""
    show_object(client_from(ctx).create_environment_from_template(template_id, name,
                                                                  region=region))


@click.command("env-template-clone")
@click.argument("template_id", metavar="ID")
@click.argument("name", metavar="ENV_TEMPLATE_NAME")
@click.pass_context
def env_template_clone(ctx: click.Context, template_id: str, name: str) -> None:
    """Clone a (public) template into the project under a new name."""
    show_object(client_from(ctx).clone_template(template_id, name))
