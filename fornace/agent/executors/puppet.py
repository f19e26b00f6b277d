"""``Type: Puppet``: puppet apply of a generated manifest.pp with hiera data."""

from __future__ import annotations

from typing import Any

import yaml

from fornace.agent.bunch import Bunch
from fornace.agent.executors._config_management import ConfigManagementExecutor


class PuppetExecutor(ConfigManagementExecutor):
    def run(self, function: str | None, recipe_attributes: dict[str, Any] | None = None,
            input: str | None = None) -> Bunch:
        module, recipe = self._split_entry()
        hiera = self._path / "hiera.yaml"
        if not hiera.exists():
            hiera.write_text(yaml.safe_dump({
                "backends": "yaml", "logger": "console", "hierarchy": "%{env}",
                "yaml": {"datadir": "/etc/puppet/hieradata"}}, default_flow_style=False))
        klass = f"{module}::{recipe}" if recipe else module
        (self._path / "manifest.pp").write_text(f"node 'default' {{ class {{ {klass}:}}}}")
        if recipe_attributes:
            data = {f"{module}::{k}": v for k, v in recipe_attributes.items()}
            (self._path / "default.yaml").write_text(yaml.safe_dump(data,
                                                                    default_flow_style=False))
        return self._run(["puppet", "apply", "--hiera_config=hiera.yaml", "--modulepath",
                          str(self._path), "manifest.pp"])
