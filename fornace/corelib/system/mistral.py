"""``io.murano.system.MistralClient``: workflows need OpenStack's Mistral."""

from __future__ import annotations

from typing import Any

from fornace.corelib.errors import NeedsOpenStack
from fornace.corelib.system._base import SystemPart
from fornace.dsl import murano_method


class MistralClient(SystemPart):
    @murano_method
    def upload(self, definition: Any) -> None:
        raise NeedsOpenStack("io.murano.system.MistralClient.upload (Mistral workflows)")

    @murano_method
    def run(self, name: Any, timeout: Any = 600, inputs: Any = None, params: Any = None) -> None:
        raise NeedsOpenStack("io.murano.system.MistralClient.run (Mistral workflows)")
