"""The environment list and show stay at a fixed number of SQL statements (no N+1)."""

from __future__ import annotations

from typing import Any

import httpx
from _env_helpers import ALICE, EnvApi, auth, ok
from sqlalchemy import event


def _statements(api_app: Any, api: httpx.Client, path: str) -> tuple[int, Any]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = api_app.state.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        body = ok(api.get(path, headers=auth(ALICE)))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len([s for s in seen if s.lstrip().upper().startswith("SELECT")]), body


def test_list_queries_do_not_grow_with_environments(env_api: EnvApi, api: httpx.Client,
                                                    api_app: Any) -> None:
    for i in range(3):
        env = env_api.create_env(f"few-{i}")
        env_api.configure(env["id"])
    few, _ = _statements(api_app, api, "/v1/environments")
    for i in range(25):
        env = env_api.create_env(f"many-{i}")
        env_api.configure(env["id"])
        env_api.configure(env["id"])
    many, body = _statements(api_app, api, "/v1/environments")
    assert len(body["environments"]) == 28
    assert {e["status"] for e in body["environments"]} == {"pending"}
    assert many == few <= 1
