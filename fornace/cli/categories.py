"""Category commands."""

from __future__ import annotations

import click

from fornace.cli._context import client_from
from fornace.cli._output import CATEGORY_COLUMNS, show_list, show_object


@click.command("category-list")
@click.pass_context
def category_list(ctx: click.Context) -> None:
    """List the categories."""
    show_list(client_from(ctx).list_categories(), CATEGORY_COLUMNS)


@click.command("category-show")
@click.argument("category_id", metavar="ID")
@click.pass_context
def category_show(ctx: click.Context, category_id: str) -> None:
    """Show a category and the names of its packages."""
    client = client_from(ctx)
    category = client.get_category(category_id)
    packages = client.list_packages(category=category["name"])
    show_object({"id": category["id"], "name": category["name"],
                 "packages": ", ".join(p["name"] for p in packages)})


@click.command("category-create")
@click.argument("name", metavar="CATEGORY_NAME")
@click.pass_context
def category_create(ctx: click.Context, name: str) -> None:
    """Create a category (admin)."""
    show_list([client_from(ctx).create_category(name)], CATEGORY_COLUMNS)


@click.command("category-delete")
@click.argument("category_ids", nargs=-1, required=True, metavar="ID...")
@click.pass_context
def category_delete(ctx: click.Context, category_ids: tuple[str, ...]) -> None:
    """Delete categories (admin)."""
    from fornace.cli._bulk import delete_each

    client = client_from(ctx)
    delete_each(category_ids, client.delete_category, "category")
    show_list(client.list_categories(), CATEGORY_COLUMNS)
