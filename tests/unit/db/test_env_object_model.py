"""Pure helpers of the environment repositories: status scan, model paths, sanitizing."""

from __future__ import annotations

import pytest

from fornace.db.repositories._model import (
    SANITIZED,
    delete_node,
    find_action,
    get_node,
    object_ids,
    sanitize,
    set_node,
)
from fornace.db.repositories.environments import status_from_states
from fornace.errors import NotFound


@pytest.mark.parametrize(("states", "status"), [
    ([], "ready"),
    (["opened"], "pending"),
    (["deployed", "opened"], "ready"),
    (["opened", "deployed", "deploy failure"], "pending"),
    (["opened", "deploy failure"], "deploy failure"),
    (["opened", "deploying"], "deploying"),
    (["deleting"], "deleting"),
    (["delete failure", "deployed"], "delete failure"),
])
def test_status_scan_newest_first(states: list[str], status: str) -> None:
    assert status_from_states(states)[0] == status


MODEL = {"services": [
    {"?": {"id": "a1", "type": "T", "_actions": {"a1_go": {"name": "go"}}},
     "vm": {"?": {"id": "v1", "type": "I"}, "flavor": "small", "adminPassword": "pw"},
     "list": [1, 2]},
]}


def test_paths_walk_ids_indexes_keys_and_stop_at_scalars() -> None:
    assert get_node(MODEL, "services/a1/vm/flavor") == "small"
    assert get_node(MODEL, "services/0/list/1") == 2
    assert get_node(MODEL, "services/a1/vm/flavor/x/y") == "small"
    with pytest.raises(NotFound):
        get_node(MODEL, "services/zz")
    with pytest.raises(NotFound):
        get_node(MODEL, "services/a1/list/5")


def test_set_and_delete_nodes() -> None:
    model = {"services": [{"?": {"id": "a1"}, "x": 1}, {"?": {"id": "a2"}}]}
    set_node(model, "services/a1/x", 2)
    assert model["services"][0]["x"] == 2
    delete_node(model, "services/a2")
    assert [s["?"]["id"] for s in model["services"]] == ["a1"]
    with pytest.raises(NotFound):
        delete_node(model, "services/a1/missing")


def test_object_ids_actions_and_sanitizing() -> None:
    assert object_ids(MODEL) == {"a1", "v1"}
    assert find_action(MODEL, "a1_go") == ("a1", {"name": "go"})
    assert find_action(MODEL, "nope") is None
    clean = sanitize({"token": "t", "nested": [{"TrustId": "x", "keep": 1}], **MODEL})
    assert clean["token"] == SANITIZED and clean["nested"][0] == {"TrustId": SANITIZED,
                                                                   "keep": 1}
    assert clean["services"][0]["vm"]["adminPassword"] == SANITIZED
    assert MODEL["services"][0]["vm"]["adminPassword"] == "pw"  # the input is not changed
