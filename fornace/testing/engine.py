"""Engine test scaffolding: a reporter system class wired to the task's report channel.

``engine_plugins = ["fornace.testing.engine:register"]`` makes the class
``fornace.tests.Reporter`` (package ``fornace.tests.core``) available to
MuranoPL test packages, so they can emit status reports without the core
library. The MuranoPL code is really run; only the reporting sink is this.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fornace.dsl.system import SystemRegistry, murano_method

PACKAGE = "fornace.tests.core"


def register(registry: SystemRegistry, services: Any) -> None:
    def emit(text: Any, level: Any = "info", entity: Any = None) -> None:
        services.report({"id": str(entity or services.environment_id), "text": str(text),
                         "details": None, "level": str(level),
                         "environment_id": services.environment_id,
                         "timestamp": datetime.now(UTC).isoformat()})

    class Reporter:
        def __init__(self, this: Any, **_: Any) -> None:
            self.this = this

        @murano_method(static=True, public=True)
        @staticmethod
        def report(text: Any, level: Any = "info", entity: Any = None) -> None:
            emit(text, level, entity)

    registry.register("fornace.tests.Reporter", Reporter, package=PACKAGE)


def bus_kind() -> str:
    """The bus of the engine tests: FORNACE_TEST_BUS, else RabbitMQ with PostgreSQL."""
    kind = os.environ.get("FORNACE_TEST_BUS")
    if kind:
        return kind
    return "rabbitmq" if os.environ.get("FORNACE_TEST_DB") == "postgresql" else "spool"


def zip_folder(folder: Path) -> bytes:
    """A package folder as an upload archive."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.writestr(path.relative_to(folder).as_posix(), path.read_bytes())
    return buf.getvalue()
