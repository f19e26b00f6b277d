"""The process one plan runs in: ``python -m fornace.agent.plan_process RUN_DIR``.

Reads ``RUN_DIR/plan.json``, runs it with files under ``RUN_DIR/files`` and writes
``RUN_DIR/outcome.json`` (a result document). Script process groups are listed
in ``RUN_DIR/pgids`` so the agent can kill them if the plan times out. Running
plans apart means a Body that hangs or crashes can be killed without the agent.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from fornace.agent import _process
from fornace.agent.result import from_error, from_result
from fornace.agent.runner import ExecutionPlanRunner


def main(run_dir: Path) -> int:
    plan = json.loads((run_dir / "plan.json").read_text())
    plan_id = str(plan["ID"])
    _process.PGID_LOG = run_dir / "pgids"
    try:
        value = ExecutionPlanRunner(plan, run_dir / "files").run()
        outcome = from_result(value, plan_id)
        text = json.dumps(outcome)
    except Exception as exc:  # every failure is a result, never a crash
        text = json.dumps(from_error(exc, plan_id), default=repr)
    except SystemExit as exc:
        text = json.dumps(from_error(RuntimeError(f"the plan's Body called exit({exc.code})"),
                                     plan_id))
    tmp = run_dir / "outcome.json.tmp"
    tmp.write_text(text)
    os.replace(tmp, run_dir / "outcome.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
