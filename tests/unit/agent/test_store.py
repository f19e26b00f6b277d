from __future__ import annotations

import os
import time
from pathlib import Path

from fornace.agent.store import PlanStore


def test_prune_forgets_only_old_sent_results(tmp_path: Path) -> None:
    store = PlanStore(tmp_path / "work")
    for plan_id in ("old", "new", "unsent"):
        pending = store.add_pending({"ID": plan_id}, "results")
        store.save_result(pending, {"SourceID": plan_id})
    store.mark_sent("old")
    store.mark_sent("new")
    week_ago = time.time() - 8 * 24 * 3600
    os.utime(store.results_dir / "old.sent", (week_ago, week_ago))
    assert store.prune(7 * 24 * 3600) == 1
    assert store.result("old") is None
    assert store.result("new") == ({"SourceID": "new"}, "results")
    assert store.unsent() == ["unsent"]
    assert list(store.pending()) == []


def test_pending_plans_come_back_in_arrival_order(tmp_path: Path) -> None:
    store = PlanStore(tmp_path / "work")
    for plan_id in ("b", "a", "c"):
        store.add_pending({"ID": plan_id}, None)
    again = PlanStore(tmp_path / "work")  # as after a restart
    assert [p.plan_id for p in again.pending()] == ["b", "a", "c"]
    assert again.is_pending("a") and not again.is_pending("z")
