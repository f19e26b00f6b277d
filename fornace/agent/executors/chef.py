"""``Type: Chef``: chef-solo with a generated solo.rb and node.json (run_list recipe[c::r])."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fornace.agent.bunch import Bunch
from fornace.agent.errors import CustomException
from fornace.agent.executors._config_management import ConfigManagementExecutor


class ChefExecutor(ConfigManagementExecutor):
    def run(self, function: str | None, recipe_attributes: dict[str, Any] | None = None,
            input: str | None = None) -> Bunch:
        cookbook, recipe = self._split_entry()
        cookbook_path = self._cookbook_path(cookbook)
        solo = self._path / "solo.rb"
        if not solo.exists():
            solo.write_text(f'cookbook_path "{cookbook_path}"\n')
        node: dict[str, Any] = {"run_list": [f"recipe[{cookbook}::{recipe}]"]}
        if recipe_attributes:
            node[cookbook] = dict(recipe_attributes)
        (self._path / "node.json").write_text(json.dumps(node))
        return self._run(["chef-solo", "-j", "node.json", "-c", str(solo)])

    def _cookbook_path(self, cookbook: str) -> Path:
        if not self._options.get("useBerkshelf", False):
            return self._path.absolute()
        berksfile = self._path / (self._options.get("berksfilePath") or f"{cookbook}/Berksfile")
        if not berksfile.is_file():
            raise CustomException(0, f"Berskfile {berksfile} not found")
        vendored = self._path / "berks-cookbooks"
        vendored.mkdir(exist_ok=True)
        self._run(["berks", "vendor", f"--berksfile={berksfile}", str(vendored)])
        return vendored.absolute()
