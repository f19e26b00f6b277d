"""``fornace agent``: run the agent of one instance.

Options come from the command line, then ``FORNACE_AGENT_*`` variables, then the
YAML file given with ``--config`` (keys: bus_url, queue, result_queue, work_dir,
signing_key, plan_timeout). Logs go to stderr.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import Any

import click
import yaml


def _load_config(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if not value:
        return value
    try:
        data = yaml.safe_load(Path(value).read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise click.BadParameter(f"cannot read {value}: {exc}") from exc
    if not isinstance(data, dict):
        raise click.BadParameter(f"{value} must hold a mapping of option names to values")
    ctx.default_map = {**(ctx.default_map or {}), **{k.replace("-", "_"): v
                                                      for k, v in data.items()}}
    return value


@click.command()
@click.option("--config", type=click.Path(dir_okay=False), is_eager=True, expose_value=False,
              callback=_load_config, envvar="FORNACE_AGENT_CONFIG",
              help="YAML file with the options below.")
@click.option("--bus-url", required=True, envvar="FORNACE_AGENT_BUS_URL",
              help="amqp://user:password@host:5672// or spool:///bind-mounted/folder")
@click.option("--queue", required=True, envvar="FORNACE_AGENT_QUEUE",
              help="This instance's input queue (Murano: e<env id>-h<instance id>).")
@click.option("--result-queue", envvar="FORNACE_AGENT_RESULT_QUEUE", default=None,
              help="Where results go when a plan names no ReplyTo.")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="FORNACE_AGENT_WORK_DIR", default=Path("/var/lib/fornace-agent"),
              show_default=True, help="Spool of plans and results.")
@click.option("--signing-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              envvar="FORNACE_AGENT_SIGNING_KEY", default=None,
              help="The engine's PEM public key; when given, unsigned or forged plans are refused.")
@click.option("--plan-timeout", type=click.FloatRange(min=0, min_open=True),
              envvar="FORNACE_AGENT_PLAN_TIMEOUT", default=3600.0, show_default=True,
              help="Seconds a plan may run when it names no Timeout.")
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level.")
def agent(bus_url: str, queue: str, result_queue: str | None, work_dir: Path,
          signing_key: Path | None, plan_timeout: float, verbose: bool) -> Any:
    """Run the agent that executes plans on this instance."""
    from fornace.agent import Agent, AgentConfig

    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = AgentConfig(bus_url=bus_url, queue=queue, result_queue=result_queue,
                         work_dir=work_dir, engine_key=signing_key, plan_timeout=plan_timeout)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    Agent(config).run(stop)
