"""Sessions and the state machine (reference §2.4-2.7), with engine results fed directly."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from _env_helpers import ALICE, AMY, EnvApi, app_object, auth, engine_result, ok

from fornace.api.results import process_result, store_report

SESSION_KEYS = {"id", "environment_id", "user_id", "state", "version", "created", "updated"}


def _deployed_env(env_api: EnvApi, engine_side: Any, name: str = "env") -> tuple[str, dict]:
    """An environment with one app, deployed and finished by a (stand-in) engine result."""
    env = env_api.create_env(name)
    sid = env_api.configure(env["id"])
    env_api.add_app(env["id"], sid, app_object("app1"))
    ok(env_api.deploy(env["id"], sid))
    objects = ok(env_api.client.get(f"/v1/environments/{env['id']}/model/",
                                    headers=auth(ALICE, **{"X-Configuration-Session": sid})))
    objects["?"]["id"] = env["id"]  # as the engine does on its first run
    engine_side(lambda db: process_result(db, env["id"], engine_result(objects)))
    return env["id"], objects


def test_configure_returns_session(env_api: EnvApi) -> None:
    env = env_api.create_env("s")
    resp = ok(env_api.client.post(f"/v1/environments/{env['id']}/configure",
                                  headers=auth(ALICE)))
    assert set(resp) == SESSION_KEYS
    assert (resp["state"], resp["version"], resp["user_id"]) == ("opened", 0, "alice")


def test_show_session_of_other_user_is_401(env_api: EnvApi, api: httpx.Client) -> None:
    env = env_api.create_env("s")
    sid = env_api.configure(env["id"])
    url = f"/v1/environments/{env['id']}/sessions/{sid}"
    assert ok(api.get(url, headers=auth(ALICE)))["id"] == sid
    assert api.get(url, headers=auth(AMY)).status_code == 401
    assert api.delete(url, headers=auth(AMY)).status_code == 401
    # Deploy has no user check: any member of the project may deploy it.
    assert env_api.deploy(env["id"], sid, token=AMY).status_code == 200


def test_session_of_other_environment_is_400(env_api: EnvApi, api: httpx.Client) -> None:
    one, two = env_api.create_env("one"), env_api.create_env("two")
    sid = env_api.configure(one["id"])
    for method in ("GET", "DELETE"):
        resp = api.request(method, f"/v1/environments/{two['id']}/sessions/{sid}",
                           headers=auth(ALICE))
        assert resp.status_code == 400, method
    assert env_api.deploy(two["id"], sid).status_code == 400
    assert api.get(f"/v1/environments/{one['id']}/sessions/{'f' * 32}",
                   headers=auth(ALICE)).status_code == 404


def test_delete_open_session(env_api: EnvApi, api: httpx.Client) -> None:
    env = env_api.create_env("s")
    sid = env_api.configure(env["id"])
    resp = api.delete(f"/v1/environments/{env['id']}/sessions/{sid}", headers=auth(ALICE))
    assert resp.status_code == 200 and resp.content == b""
    assert api.get(f"/v1/environments/{env['id']}/sessions/{sid}",
                   headers=auth(ALICE)).status_code == 404
    assert env_api.show(env["id"])["status"] == "ready"


def test_deploy_writes_task_first_report_and_message(env_api: EnvApi, api: httpx.Client,
                                                     published: list) -> None:
    env = env_api.create_env("dep")
    sid = env_api.configure(env["id"])
    env_api.add_app(env["id"], sid, app_object("app1", password="s3cret"))
    resp = env_api.deploy(env["id"], sid)
    assert resp.status_code == 200 and resp.content == b""
    [message] = published
    assert message["id"] == env["id"] and message["token"] == ALICE
    assert (message["project_id"], message["user_id"]) == ("proj-a", "alice")
    assert message["action"] == {"object_id": env["id"], "method": "deploy", "args": {}}
    objects = message["model"]["Objects"]
    assert objects["?"]["id"] == env["id"]
    assert "services" not in objects and objects["applications"][0]["?"]["id"] == "app1"
    assert objects["applications"][0]["password"] == "s3cret"  # the engine needs it
    [task] = env_api.deployments(env["id"])
    assert task["state"] == "running" and task["finished"] is None and task["result"] == {}
    assert task["description"]["services"][0]["password"] == "*** SANITIZED ***"
    reports = ok(api.get(f"/v1/environments/{env['id']}/deployments/{task['id']}",
                         headers=auth(ALICE)))["reports"]
    assert [(r["text"], r["level"]) for r in reports] == [("Action deploy is scheduled", "info")]
    session = ok(api.get(f"/v1/environments/{env['id']}/sessions/{sid}", headers=auth(ALICE)))
    assert session["state"] == "deploying"


def test_deploy_twice_is_403(env_api: EnvApi) -> None:
    env = env_api.create_env("twice")
    sid = env_api.configure(env["id"])
    assert env_api.deploy(env["id"], sid).status_code == 200
    second = env_api.deploy(env["id"], sid)
    assert second.status_code == 403
    assert "already deployed or deployment is in progress" in second.json()["error"]["message"]


def test_configure_while_deploying_is_403(env_api: EnvApi, api: httpx.Client) -> None:
    env = env_api.create_env("busy")
    ok(env_api.deploy(env["id"], env_api.configure(env["id"])))
    resp = api.post(f"/v1/environments/{env['id']}/configure", headers=auth(ALICE))
    assert resp.status_code == 403 and "deploying" in resp.json()["error"]["message"]


def test_successful_result_finishes_deployment(env_api: EnvApi, api: httpx.Client,
                                               engine_side: Any) -> None:
    env_id, _ = _deployed_env(env_api, engine_side)
    shown = env_api.show(env_id)
    assert (shown["status"], shown["version"]) == ("ready", 1)
    assert [s["?"]["id"] for s in shown["services"]] == ["app1"]
    assert shown["services"][0]["?"]["status"] == "ready"
    [task] = env_api.deployments(env_id)
    assert task["state"] == "success" and task["finished"] is not None
    assert task["result"] == {"isException": False, "result": None}
    reports = ok(api.get(f"/v1/environments/{env_id}/deployments/{task['id']}",
                         headers=auth(ALICE)))["reports"]
    assert [r["text"] for r in reports] == ["Action deploy is scheduled", "Deployment finished"]


def test_result_with_error_report_is_deploy_failure(env_api: EnvApi, engine_side: Any) -> None:
    env = env_api.create_env("fail")
    sid = env_api.configure(env["id"])
    ok(env_api.deploy(env["id"], sid))
    engine_side(lambda db: store_report(db, {
        "id": env["id"], "text": "it broke", "level": "error", "details": "trace",
        "environment_id": env["id"], "timestamp": "2026-11-22T05:00:00.123456Z"}))
    objects = {"?": {"id": env["id"], "type": "io.murano.Environment"}, "name": "fail"}
    engine_side(lambda db: process_result(db, env["id"], engine_result(objects)))
    assert env_api.show(env["id"])["status"] == "deploy failure"
    [task] = env_api.deployments(env["id"])
    assert task["state"] == "completed_w_errors"
    reports = ok(env_api.client.get(f"/v1/environments/{env['id']}/deployments/{task['id']}",
                                    headers=auth(ALICE)))["reports"]
    assert reports[-1]["text"] == "Deployment finished with errors"
    # A failure stays visible after a new session is opened (Murano's scan).
    env_api.configure(env["id"])
    assert env_api.show(env["id"])["status"] == "deploy failure"


def test_exception_result_is_deploy_failure(env_api: EnvApi, engine_side: Any) -> None:
    env = env_api.create_env("exc")
    ok(env_api.deploy(env["id"], env_api.configure(env["id"])))
    objects = {"?": {"id": env["id"], "type": "io.murano.Environment"}, "name": "exc"}
    engine_side(lambda db: process_result(db, env["id"], engine_result(objects, exception=True)))
    assert env_api.show(env["id"])["status"] == "deploy failure"
    [task] = env_api.deployments(env["id"])
    assert task["result"]["isException"] is True


def test_result_invalidates_other_open_sessions(env_api: EnvApi, api: httpx.Client,
                                                engine_side: Any) -> None:
    env = env_api.create_env("inv")
    first = env_api.configure(env["id"])
    other = env_api.configure(env["id"])
    ok(env_api.deploy(env["id"], first))
    objects = {"?": {"id": env["id"], "type": "io.murano.Environment"}, "name": "inv"}
    engine_side(lambda db: process_result(db, env["id"], engine_result(objects)))
    resp = api.get(f"/v1/environments/{env['id']}/sessions/{other}", headers=auth(ALICE))
    assert resp.status_code == 403 and "invalid" in resp.json()["error"]["message"]
    assert env_api.deploy(env["id"], other).status_code == 403


def test_delete_deployed_environment_creates_deletion_task(env_api: EnvApi, api: httpx.Client,
                                                           engine_side: Any,
                                                           published: list) -> None:
    env_id, _ = _deployed_env(env_api, engine_side)
    published.clear()
    resp = api.delete(f"/v1/environments/{env_id}", headers=auth(ALICE))
    assert resp.status_code == 200 and resp.content == b""
    shown = env_api.show(env_id)
    assert shown["status"] == "deleting"
    assert [s["?"]["status"] for s in shown["services"]] == ["deleting"]  # until it is done
    [message] = published
    assert message["action"] is None and message["model"]["Objects"] is None
    assert message["model"]["ObjectsCopy"]["?"]["id"] == env_id
    deletion = env_api.deployments(env_id)[0]
    assert deletion["action"] is None and deletion["description"] is None
    reports = ok(api.get(f"/v1/environments/{env_id}/deployments/{deletion['id']}",
                         headers=auth(ALICE)))["reports"]
    assert [r["text"] for r in reports] == ["Action None is scheduled"]
    # The engine reports a successful deletion: the row goes.
    engine_side(lambda db: process_result(db, env_id, engine_result(None, objects_copy=None)))
    assert api.get(f"/v1/environments/{env_id}", headers=auth(ALICE)).status_code == 404


def test_failed_deletion_is_delete_failure(env_api: EnvApi, api: httpx.Client,
                                           engine_side: Any) -> None:
    env_id, objects = _deployed_env(env_api, engine_side)
    ok(api.delete(f"/v1/environments/{env_id}", headers=auth(ALICE)))
    failed = engine_result(None, exception=True, objects_copy=objects)
    engine_side(lambda db: process_result(db, env_id, failed))
    shown = env_api.show(env_id)
    assert shown["status"] == "delete failure"
    reports_url = f"/v1/environments/{env_id}/deployments/{env_api.deployments(env_id)[0]['id']}"
    texts = [r["text"] for r in ok(api.get(reports_url, headers=auth(ALICE)))["reports"]]
    assert texts[-1] == "Deletion finished"
    # Abandon is the way out.
    ok(api.delete(f"/v1/environments/{env_id}?abandon=true", headers=auth(ALICE)))
    assert api.get(f"/v1/environments/{env_id}", headers=auth(ALICE)).status_code == 404


def test_result_for_missing_environment_is_ignored(engine_side: Any, rows: Any) -> None:
    before = rows()
    engine_side(lambda db: process_result(db, "9" * 32, engine_result({"?": {"id": "x"}})))
    assert rows() == before


def test_report_without_task_is_dropped(env_api: EnvApi, engine_side: Any, rows: Any) -> None:
    env = env_api.create_env("noreport")
    before = rows()
    stored = engine_side(lambda db: store_report(db, {"id": env["id"], "text": "x",
                                                      "environment_id": env["id"]}))
    assert stored is None and rows() == before


def test_concurrent_deploys_exactly_one_wins(env_api: EnvApi, api: httpx.Client,
                                             published: list) -> None:
    env = env_api.create_env("race")
    session_ids = [env_api.configure(env["id"]) for _ in range(4)]
    session_ids += session_ids  # the same session twice, too
    barrier = threading.Barrier(len(session_ids))
    codes: list[int] = []
    lock = threading.Lock()

    def deploy(sid: str) -> None:
        with httpx.Client(base_url=str(api.base_url), timeout=30) as client:
            barrier.wait()
            resp = client.post(f"/v1/environments/{env['id']}/sessions/{sid}/deploy",
                               headers=auth(ALICE))
        with lock:
            codes.append(resp.status_code)

    threads = [threading.Thread(target=deploy, args=(sid,)) for sid in session_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] + [403] * (len(session_ids) - 1)
    assert len(published) == 1
    assert len(env_api.deployments(env["id"])) == 1
