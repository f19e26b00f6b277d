from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from fornace.bus import (
    AgentMessage,
    BusUnavailable,
    EngineResult,
    InstanceEvent,
    InvalidMessage,
    RemoteError,
    Report,
    ReportMessage,
    ResultMessage,
    RpcTimeout,
    SchemaRequest,
    StaticAction,
    StaticActionRequest,
    StaticTask,
    Task,
    TaskAction,
    TaskMessage,
    open_bus,
)
from fornace.bus._transport import Outgoing, QueueKind
from fornace.errors import NotFound, ServiceUnavailable

CONSUMER = str(Path(__file__).with_name("_consumer.py"))
ROOT = str(Path(__file__).resolve().parents[3])


def _spawn(url: str, prefix: str, mode: str, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.Popen([sys.executable, CONSUMER, url, prefix, mode, str(out)], env=env)


def _ids(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _deploy_task(env_id: str = "env-1") -> TaskMessage:
    return TaskMessage(task=Task(
        id=env_id, token="tok", project_id="p1", user_id="u1",
        action=TaskAction(object_id=env_id, method="deploy", args={}),
        model={"Objects": {"?": {"id": env_id, "type": "io.murano.Environment"}},
               "ObjectsCopy": {}, "Attributes": []}))


def test_task_round_trip_keeps_murano_fields(make_bus) -> None:  # type: ignore[no-untyped-def]
    api, engine = make_bus(), make_bus()
    api.publish_task(_deploy_task())
    api.publish_task(TaskMessage(task=Task(id="env-2", action=None)))
    got: list[TaskMessage] = []
    assert engine.consume_tasks(got.append, max_messages=2, timeout=10) == 2
    assert [m.task.id for m in got] == ["env-1", "env-2"]
    assert got[0].task.kind == "deploy" and got[1].task.kind == "delete"
    assert got[0].task.model["Objects"]["?"]["type"] == "io.murano.Environment"
    assert got[0].task.token == "tok" and got[0].task.project_id == "p1"
    # Nothing left: both were acked after the handler returned.
    assert engine.consume_tasks(got.append, timeout=0.5) == 0


def test_result_and_report_round_trips(make_bus) -> None:  # type: ignore[no-untyped-def]
    engine, api = make_bus(), make_bus()
    engine.publish_result(ResultMessage(environment_id="env-1", result=EngineResult(
        model={"Objects": None}, action={"result": 42, "isException": False})))
    engine.publish_report(ReportMessage(payload=Report(
        id="obj-1", text="Deploying", level="info", environment_id="env-1",
        timestamp="2026-11-22T06:00:00Z")))
    engine.publish_report(ReportMessage(event_type="murano.track_instance", payload=InstanceEvent(
        instance="i-1", environment="env-1", instance_type=200)))
    results: list[ResultMessage] = []
    reports: list[ReportMessage] = []
    assert api.consume_results(results.append, max_messages=1, timeout=10) == 1
    assert api.consume_reports(reports.append, max_messages=2, timeout=10) == 2
    assert results[0].result.action is not None and results[0].result.action.result == 42
    assert isinstance(reports[0].payload, Report) and reports[0].payload.text == "Deploying"
    assert isinstance(reports[1].payload, InstanceEvent)
    assert reports[1].event_type == "murano.track_instance"


def test_agent_plan_and_result_round_trip(make_bus, prefix: str) -> None:  # type: ignore[no-untyped-def]
    queue, results = f"{prefix}-e1-h1", f"{prefix}-results"
    engine, agent = make_bus(queues=[queue, results]), make_bus()
    engine.declare_agent_queue(queue)
    engine.send_plan(queue, AgentMessage(body=b'{"ID": "p1"}', message_id="p1",
                                         reply_to=results, signature=b"\x00\x01\xfe"))
    plans: list[AgentMessage] = []
    assert agent.consume_plans(queue, plans.append, max_messages=1, timeout=10) == 1
    assert plans[0] == AgentMessage(body=b'{"ID": "p1"}', message_id="p1", reply_to=results,
                                    signature=b"\x00\x01\xfe")
    agent.publish_agent_result(results, AgentMessage(body=b'{"SourceID": "p1"}', message_id="p1"))
    answers: list[AgentMessage] = []
    assert engine.consume_agent_results(results, answers.append, max_messages=1, timeout=10) == 1
    assert answers[0].body == b'{"SourceID": "p1"}' and answers[0].message_id == "p1"


def _serve_requests(bus_factory: Any, stop: threading.Event) -> threading.Thread:
    def handler(message: Any) -> Any:
        if isinstance(message, StaticActionRequest):
            if message.task.action.method == "missing":
                raise NotFound("no such method")
            return {"sum": sum(message.task.action.args["values"])}
        assert isinstance(message, SchemaRequest)
        return {"class": message.class_name, "methods": message.method_names}

    engine = bus_factory()
    thread = threading.Thread(target=engine.consume_tasks, args=(handler,),
                              kwargs={"stop": stop, "timeout": 30}, daemon=True)
    thread.start()
    return thread


def _static(method: str, **args: Any) -> StaticActionRequest:
    return StaticActionRequest(task=StaticTask(id="t1", action=StaticAction(
        method=method, args=args, class_name="com.example.Calc")))


def test_rpc_calls_get_their_replies(make_bus) -> None:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    thread = _serve_requests(make_bus, stop)
    api = make_bus()
    try:
        assert api.call(_static("add", values=[1, 2, 3]), timeout=15) == {"sum": 6}
        schema = api.call(SchemaRequest(class_name="com.example.Calc", method_names=["add"]),
                          timeout=15)
        assert schema == {"class": "com.example.Calc", "methods": ["add"]}
        with pytest.raises(RemoteError) as caught:
            api.call(_static("missing"), timeout=15)
        assert caught.value.message == "no such method" and caught.value.reference == "not-found"
    finally:
        stop.set()
        thread.join(10)


def test_rpc_without_engine_times_out(make_bus) -> None:  # type: ignore[no-untyped-def]
    api = make_bus()
    started = time.monotonic()
    with pytest.raises(RpcTimeout) as caught:
        api.call(_static("add", values=[]), timeout=1.0)
    assert 0.9 <= time.monotonic() - started < 5
    assert isinstance(caught.value, ServiceUnavailable)
    assert "no deployment engine answered" in caught.value.message
    assert "fornace engine" in (caught.value.hint or "")


def test_handler_error_leaves_task_for_redelivery(make_bus) -> None:  # type: ignore[no-untyped-def]
    api, engine = make_bus(), make_bus()
    api.publish_task(_deploy_task("env-9"))

    def failing(message: TaskMessage) -> None:
        raise RuntimeError("database is down")

    with pytest.raises(RuntimeError):
        engine.consume_tasks(failing, max_messages=1, timeout=10)
    got: list[TaskMessage] = []
    assert make_bus().consume_tasks(got.append, max_messages=1, timeout=10) == 1
    assert got[0].task.id == "env-9"


def test_unreadable_message_is_dropped_not_looped(make_bus) -> None:  # type: ignore[no-untyped-def]
    api, engine = make_bus(), make_bus()
    api.transport.declare(api.tasks_queue, QueueKind.WORK)
    api.transport.put(api.tasks_queue, Outgoing(b'{"version": 99, "kind": "task"}'))
    api.publish_task(_deploy_task("env-ok"))
    got: list[TaskMessage] = []
    assert engine.consume_tasks(got.append, max_messages=2, timeout=10) == 2
    assert [m.task.id for m in got] == ["env-ok"]


def test_task_survives_publisher_restart(bus_url: str, prefix: str, make_bus,  # type: ignore[no-untyped-def]
                                         tmp_path: Path) -> None:
    assert _spawn(bus_url, prefix, "publish:2", tmp_path / "none").wait(30) == 0
    got: list[TaskMessage] = []
    assert make_bus().consume_tasks(got.append, max_messages=2, timeout=10) == 2
    assert sorted(m.task.id for m in got) == ["env-0", "env-1"]


def test_task_redelivered_after_consumer_is_killed(bus_url: str, prefix: str, make_bus,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    make_bus().publish_task(_deploy_task("env-kill"))
    seen = tmp_path / "seen"
    proc = _spawn(bus_url, prefix, "hang", seen)
    try:
        deadline = time.monotonic() + 30
        while not _ids(seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ids(seen) == ["env-kill"]
        # While the first consumer lives, nobody else gets the task.
        assert make_bus().consume_tasks(lambda m: None, timeout=1.0) == 0
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    got: list[TaskMessage] = []
    assert make_bus().consume_tasks(got.append, max_messages=1, timeout=15) == 1
    assert got[0].task.id == "env-kill"


def test_competing_consumers_get_each_task_once(bus_url: str, prefix: str, make_bus,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    api = make_bus()
    for i in range(30):
        api.publish_task(TaskMessage(task=Task(id=f"env-{i}")))
    outs = [tmp_path / "a", tmp_path / "b"]
    procs = [_spawn(bus_url, prefix, "drain:6", out) for out in outs]
    for proc in procs:
        assert proc.wait(60) == 0
    a, b = (_ids(out) for out in outs)
    assert sorted(a + b) == sorted(f"env-{i}" for i in range(30))
    assert a and b  # both took part


def test_wrong_broker_port_is_bus_unavailable() -> None:
    with pytest.raises(BusUnavailable) as caught:
        open_bus("amqp://guest:s3cret@127.0.0.1:9//")
    error = caught.value
    assert isinstance(error, ServiceUnavailable)
    assert "127.0.0.1:9" in error.message and "s3cret" not in error.message
    assert "FORNACE_BUS_URL" in (error.hint or "") and "RabbitMQ" in (error.hint or "")
    assert "s3cret" not in (error.hint or "")


@pytest.mark.parametrize("url", ["spool://relative/folder", "spool:///etc/hostname/bus"])
def test_bad_spool_url_is_bus_unavailable(url: str) -> None:
    with pytest.raises(BusUnavailable) as caught:
        open_bus(url)
    assert caught.value.hint


def test_empty_url_uses_spool_under_data_dir(tmp_path: Path) -> None:
    with open_bus("", data_dir=tmp_path, prefix="x") as bus:
        bus.publish_task(TaskMessage(task=Task(id="e")))
    assert (tmp_path / "bus" / "bus.sqlite").is_file()
    with open_bus(None, data_dir=tmp_path, prefix="x") as bus:
        got: list[TaskMessage] = []
        assert bus.consume_tasks(got.append, max_messages=1, timeout=5) == 1


def test_invalid_message_model_is_refused() -> None:
    from fornace.bus.messages import decode

    with pytest.raises(InvalidMessage):
        decode(b'{"version": 1, "kind": "report", "payload": {"text": "no ids"}}', ReportMessage)


@pytest.mark.root
def test_spool_redelivers_after_kill_of_consumer_in_other_namespaces(tmp_path: Path) -> None:
    """flock-based claims work across PID and mount namespaces through a bind mount."""
    import shutil

    from fornace.bus import spool_url

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare")
    host_folder = tmp_path / "bus"
    with open_bus(spool_url(host_folder), prefix="ns") as bus:
        bus.publish_task(_deploy_task("env-ns"))
    inside, seen = "/mnt/fornace-bus-ns", tmp_path / "seen"
    script = (f"mount --make-rprivate / && mkdir -p {inside} && "
              f"mount --bind {host_folder} {inside} && "
              f"exec {sys.executable} {CONSUMER} spool://{inside} ns hang {seen}")
    proc = subprocess.Popen(["unshare", "--mount", "--pid", "--fork", "--kill-child",
                             "sh", "-c", script], env={**os.environ, "PYTHONPATH": ROOT},
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not _ids(seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ids(seen) == ["env-ns"]
        with open_bus(spool_url(host_folder), prefix="ns") as bus:
            assert bus.consume_tasks(lambda m: None, timeout=1.0) == 0  # still claimed
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    got: list[TaskMessage] = []
    with open_bus(spool_url(host_folder), prefix="ns") as bus:
        assert bus.consume_tasks(got.append, max_messages=1, timeout=10) == 1
    assert got[0].task.id == "env-ns"


def test_spool_files_are_private_to_their_owner(tmp_path: Path) -> None:
    from fornace.bus import spool_url

    with open_bus(spool_url(tmp_path / "bus"), prefix="p") as bus:
        bus.publish_task(_deploy_task())
        modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "bus").iterdir()}
    assert modes["bus.sqlite"] == 0o600 and modes["consumers"] == 0o700
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
    assert (tmp_path / "bus").stat().st_mode & 0o777 == 0o700


def test_queues_declared_the_murano_way_are_accepted(prefix: str) -> None:
    """murano-engine declares instance and result queues durable, x-ha-policy, x-expires 24h."""
    import kombu

    from fornace.testing.bus import RABBITMQ_URL

    queue, results = f"{prefix}-e1-h1", f"-execution-results-{prefix}"
    with kombu.Connection(RABBITMQ_URL) as conn:
        channel = conn.channel()
        for name in (queue, results):
            channel.queue_declare(name, durable=True, auto_delete=False,
                                  arguments={"x-ha-policy": "all", "x-expires": 86400000})
    with open_bus(RABBITMQ_URL, prefix=prefix) as bus:
        try:
            bus.send_plan(queue, AgentMessage(body=b"{}", message_id="m1"))
            assert bus.consume_plans(queue, lambda m: None, max_messages=1, timeout=5) == 1
            bus.publish_agent_result(results, AgentMessage(body=b"{}", message_id="m1"))
            assert bus.consume_agent_results(results, lambda m: None, max_messages=1,
                                             timeout=5) == 1
        finally:
            bus.delete_queue(queue)
            bus.delete_queue(results)


def test_spool_sweeps_lock_files_of_dead_consumers(tmp_path: Path) -> None:
    from fornace.bus import spool_url

    url = spool_url(tmp_path / "bus")
    env = {**os.environ, "PYTHONPATH": ROOT}
    code = f"from fornace.bus import open_bus; open_bus({url!r}); import os; os._exit(0)"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert len(list((tmp_path / "bus" / "consumers").glob("*.lock"))) == 1  # left behind
    with open_bus(url) as bus:
        alive = list((tmp_path / "bus" / "consumers").glob("*.lock"))
        assert [p.stem for p in alive] == [bus.transport.token]  # type: ignore[attr-defined]
