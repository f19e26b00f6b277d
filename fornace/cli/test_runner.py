"""``fornace test-runner PACKAGE_DIR [CLASS[.METHOD]]...``: run MuranoPL test fixtures."""

from __future__ import annotations

import sys

import click


@click.command("test-runner")
@click.argument("package_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("tests", nargs=-1)
@click.option("--packages", "-l", "dependencies", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="Folder with packages the tested package requires (repeatable).")
@click.option("--verbose", "-v", is_flag=True, help="Print the stack trace of each failure.")
def test_runner(package_dir: str, tests: tuple[str, ...], dependencies: tuple[str, ...],
                verbose: bool) -> None:
    """Run the test fixtures (classes extending io.murano.test.TestFixture) of a package."""
    from fornace.dsl.errors import DslError
    from fornace.dsl.test_runner import discover, load_package, run_test, select

    try:
        package = load_package(package_dir)
        found = discover(package, dependencies)
        chosen = select(found, tests)
    except (DslError, LookupError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if not chosen:
        click.echo("no tests found (classes must extend io.murano.test.TestFixture)", err=True)
        sys.exit(2)
    failures = 0
    for class_name, method in chosen:
        result = run_test(package, class_name, method, dependencies)
        mark = {"ok": "ok", "fail": "FAIL", "error": "ERROR"}[result.status]
        click.echo(f"{class_name}.{method} ... {mark} ({result.seconds:.3f}s)")
        if result.status != "ok":
            failures += 1
            first = result.detail.splitlines()[0] if result.detail else ""
            click.echo(result.detail if verbose else f"    {first}")
    passed = len(chosen) - failures
    click.echo(f"\nRan {len(chosen)} tests: {passed} passed, {failures} failed")
    sys.exit(1 if failures else 0)
