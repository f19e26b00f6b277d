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


@click.group(cls=LazyGroup)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="fornace")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Fornace: application catalog and deployment service (Murano API v1)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> Any:
    from fornace.errors import FornaceError

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        return cli.main(args=args, prog_name="fornace", standalone_mode=False)
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
