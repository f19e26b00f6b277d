"""The ``fornace`` command. Subcommands load lazily so ``fornace --help`` stays fast.

Each entry of COMMANDS maps a command name to ``module:attribute`` of a click
command and a one-line summary. Errors become exit codes in one place
(:func:`main`): a FornaceError prints one line (and its hint), never a
traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

# name -> (import path, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("fornace.cli.serve:serve", "Run API, engine and bus in one process (embedded defaults)."),
    "api": ("fornace.cli.serve:api", "Run the API server."),
    "db": ("fornace.cli.db:db", "Manage the database schema."),
    "token": ("fornace.cli.token:token", "Manage tokens of the builtin auth mode."),
    "package-create": ("fornace.cli.package:package_create", "Build a package archive."),
    "test-runner": ("fornace.cli.test_runner:test_runner", "Run the MuranoPL test fixtures of a package."),
    "engine": ("fornace.cli.engine:engine", "Run a deployment engine worker."),
    "agent": ("fornace.cli.agent:agent", "Run the agent that executes plans on an instance."),
    "cloud": ("fornace.cli.cloud:cloud", "Inspect and clean the local cloud."),
}

_ENV = "fornace.cli.environments"
_DEP = "fornace.cli.deployments"
_ACT = "fornace.cli.actions"
_PKG = "fornace.cli.packages"
_CAT = "fornace.cli.categories"
_TPL = "fornace.cli.templates"
COMMANDS.update({
    "environment-list": (f"{_ENV}:environment_list", "List environments."),
    "environment-create": (f"{_ENV}:environment_create", "Create an environment."),
    "environment-show": (f"{_ENV}:environment_show", "Show an environment."),
    "environment-rename": (f"{_ENV}:environment_rename", "Rename an environment."),
    "environment-delete": (f"{_ENV}:environment_delete", "Delete environments."),
    "environment-session-create": (f"{_ENV}:environment_session_create",
                                   "Open a configuration session."),
    "environment-deploy": (f"{_ENV}:environment_deploy", "Deploy a session's changes."),
    "environment-model-show": (f"{_ENV}:environment_model_show", "Show the object model."),
    "environment-model-edit": (f"{_ENV}:environment_model_edit",
                               "Edit the object model with a JSON patch."),
    "environment-apps-edit": (f"{_ENV}:environment_apps_edit",
                              "Edit the applications with a JSON patch."),
    "app-show": (f"{_ENV}:app_show", "List applications of an environment."),
    "environment-action-call": (f"{_ACT}:environment_action_call", "Call an action."),
    "environment-action-get-result": (f"{_ACT}:environment_action_get_result",
                                      "Show an action's result."),
    "static-action-call": (f"{_ACT}:static_action_call", "Call a static method of a class."),
    "class-schema": (f"{_ACT}:class_schema", "Show a class's method schemas."),
    "deployment-list": (f"{_DEP}:deployment_list", "List deployments."),
    "status": (f"{_DEP}:status", "Show an environment's objects as a tree."),
    "logs": (f"{_DEP}:logs", "Show (or follow) a deployment's reports."),
    "package-list": (f"{_PKG}:package_list", "List packages."),
    "package-show": (f"{_PKG}:package_show", "Show a package."),
    "package-download": (f"{_PKG}:package_download", "Download a package archive."),
    "package-update": (f"{_PKG}:package_update", "Update a package's attributes."),
    "package-delete": (f"{_PKG}:package_delete", "Delete packages."),
    "package-import": (f"{_PKG}:package_import", "Import packages with their dependencies."),
    "package-save": (f"{_PKG}:package_save", "Save packages from a repository locally."),
    "bundle-import": (f"{_PKG}:bundle_import", "Import a bundle of packages."),
    "bundle-save": (f"{_PKG}:bundle_save", "Save a bundle's packages locally."),
    "category-list": (f"{_CAT}:category_list", "List categories."),
    "category-show": (f"{_CAT}:category_show", "Show a category and its packages."),
    "category-create": (f"{_CAT}:category_create", "Create a category."),
    "category-delete": (f"{_CAT}:category_delete", "Delete categories."),
    "env-template-list": (f"{_TPL}:env_template_list", "List environment templates."),
    "env-template-create": (f"{_TPL}:env_template_create", "Create a template."),
    "env-template-show": (f"{_TPL}:env_template_show", "Show a template."),
    "env-template-update": (f"{_TPL}:env_template_update", "Rename a template."),
    "env-template-delete": (f"{_TPL}:env_template_delete", "Delete templates."),
    "env-template-add-app": (f"{_TPL}:env_template_add_app", "Add applications to a template."),
    "env-template-del-app": (f"{_TPL}:env_template_del_app", "Remove an application."),
    "env-template-create-env": (f"{_TPL}:env_template_create_env",
                                "Create an environment from a template."),
    "env-template-clone": (f"{_TPL}:env_template_clone", "Clone a template."),
    "apply": ("fornace.cli.apply:apply", "Create or update an environment from a file, deploy."),
    "diff": ("fornace.cli.apply:diff", "Show what 'apply' would change."),
})


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr = entry[0].split(":")
        return getattr(importlib.import_module(module_name), attr)  # type: ignore[no-any-return]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        """Errors of any command become one line (and a hint) and a named exit code."""
        from fornace.errors import FornaceError

        try:
            return super().invoke(ctx)
        except FornaceError as exc:
            if ctx.obj.get("debug"):
                raise
            from fornace.cli.exit_codes import exit_code_for

            click.echo(f"Error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"Hint: {exc.hint}", err=True)
            ctx.exit(int(exit_code_for(exc)))


@click.group(cls=LazyGroup)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.option("--url", metavar="URL",
              help="API root (default: FORNACE_URL, the config's endpoint, or "
                   "http://127.0.0.1:8082).")
@click.option("--token", metavar="TOKEN", help="Auth token (default: FORNACE_TOKEN).")
@click.option("--endpoint", metavar="NAME",
              help="A named endpoint of ~/.config/fornace/client.yaml.")
@click.option("--output", "-o", type=click.Choice(["table", "json", "yaml"]), default="table",
              show_default=True, help="Output format of client commands.")
@click.version_option(package_name="fornace")
@click.pass_context
def cli(ctx: click.Context, debug: bool, url: str | None, token: str | None,
        endpoint: str | None, output: str) -> None:
    """Fornace: application catalog and deployment service (Murano API v1)."""
    ctx.ensure_object(dict)
    ctx.obj.update(debug=debug, url=url, token=token, endpoint=endpoint, output=output)
    if debug:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")


def main(argv: list[str] | None = None) -> Any:
    from fornace.errors import FornaceError

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        result = cli.main(args=args, prog_name="fornace", standalone_mode=False)
        # without standalone mode click returns ctx.exit(code)'s code instead of exiting
        if isinstance(result, int) and not isinstance(result, bool) and result:
            sys.exit(result)
        return result
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except FornaceError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"Hint: {exc.hint}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
