"""The agent's spool on disk (its work dir), so that no accepted plan is lost.

    <work>/pending/<ns>-<ID>.json   accepted plans, run in name order
    <work>/results/<ID>.json        finished plans' results and where they go
    <work>/results/<ID>.sent        the result was handed to the bus (pruned after a week)
    <work>/run/<ID>/                a running plan's files (removed afterwards)
    <work>/stamp                    the highest plan Stamp accepted (Murano's replay guard)

Every file is written to a temporary name, flushed and renamed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _write_atomic(path: Path, data: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class PendingPlan:
    path: Path
    plan: dict[str, Any]
    reply_to: str | None

    @property
    def plan_id(self) -> str:
        return str(self.plan["ID"])


class PlanStore:
    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.pending_dir = work_dir / "pending"
        self.results_dir = work_dir / "results"
        self.run_dir = work_dir / "run"
        for folder in (work_dir, self.pending_dir, self.results_dir, self.run_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(work_dir, 0o700)

    # -- replay guard ------------------------------------------------------------------
    def last_stamp(self) -> int:
        try:
            return int((self.work_dir / "stamp").read_text())
        except (FileNotFoundError, ValueError):
            return 0

    def save_stamp(self, stamp: int) -> None:
        _write_atomic(self.work_dir / "stamp", str(stamp))

    # -- plans -------------------------------------------------------------------------
    def add_pending(self, plan: dict[str, Any], reply_to: str | None) -> PendingPlan:
        path = self.pending_dir / f"{time.time_ns():020d}-{plan['ID']}.json"
        _write_atomic(path, json.dumps({"plan": plan, "reply_to": reply_to}))
        return PendingPlan(path, plan, reply_to)

    def is_pending(self, plan_id: str) -> bool:
        return any(self.pending_dir.glob(f"*-{plan_id}.json"))

    def pending(self) -> Iterator[PendingPlan]:
        for path in sorted(self.pending_dir.glob("*.json")):
            data = json.loads(path.read_text())
            yield PendingPlan(path, data["plan"], data.get("reply_to"))

    # -- results -----------------------------------------------------------------------
    def save_result(self, pending: PendingPlan, result: dict[str, Any]) -> None:
        _write_atomic(self.results_dir / f"{pending.plan_id}.json",
                      json.dumps({"result": result, "reply_to": pending.reply_to}))
        pending.path.unlink(missing_ok=True)

    def result(self, plan_id: str) -> tuple[dict[str, Any], str | None] | None:
        try:
            data = json.loads((self.results_dir / f"{plan_id}.json").read_text())
        except FileNotFoundError:
            return None
        return data["result"], data.get("reply_to")

    def mark_sent(self, plan_id: str) -> None:
        (self.results_dir / f"{plan_id}.sent").touch()

    def prune(self, max_age: float) -> int:
        """Forget sent results older than ``max_age`` seconds; returns how many."""
        limit, removed = time.time() - max_age, 0
        for marker in self.results_dir.glob("*.sent"):
            try:
                if marker.stat().st_mtime < limit:
                    (self.results_dir / f"{marker.stem}.json").unlink(missing_ok=True)
                    marker.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def unsent(self) -> list[str]:
        return sorted(p.stem for p in self.results_dir.glob("*.json")
                      if not (self.results_dir / f"{p.stem}.sent").exists())
