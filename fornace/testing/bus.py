"""Bus URLs for tests: RabbitMQ on 127.0.0.1 and a broker-less spool in a temp folder."""

from __future__ import annotations

from pathlib import Path

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"
BUS_KINDS = ["rabbitmq", "spool"]


def bus_url_for(kind: str, tmp_path: Path) -> str:
    from fornace.bus import spool_url

    return RABBITMQ_URL if kind == "rabbitmq" else spool_url(tmp_path / "bus")
