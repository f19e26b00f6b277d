from __future__ import annotations

import base64
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from fornace.bus import AgentError, AgentMessage, AgentTimeout, PlanSigner, decode_result


def _text(name: str, body: str) -> dict[str, str]:
    return {"Name": name, "BodyType": "Text", "Body": body}


def _app_plan(script: str, body: str = "return deploy().stdout", *, version: str = "2.0.0",
              options: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"FormatVersion": version, "Name": "test", "Body": body,
            "Scripts": {"deploy": {"Type": "Application", "EntryPoint": "main",
                                   "Files": [], "Options": options or {}}},
            "Files": {"main": _text("main.sh", "#!/bin/sh\n" + script)}, **extra}


def test_ready_agent_answers_and_absent_one_does_not(start_agent) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    client = agent.client()
    assert client.is_ready(agent.queue, timeout=30)
    assert not client.is_ready(agent.queue + "-nobody", timeout=1)
    agent.bus.delete_queue(agent.queue + "-nobody")


def test_v2_plan_with_inline_and_base64_files_and_parameters(start_agent) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    binary = bytes(range(256))
    plan = {
        "FormatVersion": "2.1.0", "Name": "Deploy", "Action": "Execute",
        "Parameters": {"appName": "demo", "port": 8080},
        "Body": "result = deploy('{0} {1}'.format(args.appName, args.port))\n"
                "return {'out': result.stdout, 'code': result.exitCode}",
        "Scripts": {"deploy": {"Type": "Application", "EntryPoint": "id1",
                               "Files": ["id2", "id3"], "Options": {}}},
        "Files": {
            "id1": _text("deploy.sh", "#!/bin/sh\n. ./common.sh\n"
                                      "echo \"$GREETING $1 on $2\"; cksum < data/blob.bin\n"),
            "id2": {"Name": "common.sh", "BodyType": "Base64",
                    "Body": base64.b64encode(b"GREETING=hello\n").decode() + "\n"},
            "id3": {"Name": "data/blob.bin", "BodyType": "Base64",
                    "Body": base64.b64encode(binary).decode()},
        },
    }
    result = agent.call(plan)
    expected_cksum = subprocess.run(["cksum"], input=binary, capture_output=True).stdout
    assert result["ErrorCode"] == 0 and result["Action"] == "Execution:Result"
    assert result["FormatVersion"] == "2.0.0" and result["SourceID"]
    assert result["Body"] == {"out": "hello demo on 8080\n" + expected_cksum.decode().strip(),
                              "code": 0}
    assert decode_result(result) == result["Body"]


@pytest.mark.parametrize("version", [None, "1.0.0"])
def test_v1_plan_runs_body_with_args(start_agent, version: str | None) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    plan = _app_plan('echo "got $1"', "return [args.who, deploy(args.who).stdout]")
    plan["Parameters"] = {"who": "world"}
    if version is None:
        del plan["FormatVersion"]
    else:
        plan["FormatVersion"] = version
    result = agent.call(plan)
    assert result["ErrorCode"] == 0, result
    assert result["Body"] == ["world", "got world"]


def test_capture_options_and_exit_codes(start_agent) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    script = "echo out; echo err >&2; exit 3\n"
    unchecked = agent.call(_app_plan(script, "return deploy()",
                                     options={"verifyExitcode": False, "captureStderr": False}))
    assert unchecked["ErrorCode"] == 0
    assert unchecked["Body"] == {"exitCode": 3, "stdout": "out", "stderr": None}

    checked = agent.call(_app_plan(script, "return deploy()"))
    assert checked["ErrorCode"] == 100
    assert checked["Body"] == {"Message": "Script deploy returned error code",
                               "AdditionalInfo": {"exitCode": 3, "stdout": "out",
                                                  "stderr": "err"}}
    with pytest.raises(AgentError) as caught:
        decode_result(checked)
    assert caught.value.info["errorCode"] == 100
    assert caught.value.info["details"] == {"exitCode": 3, "stdout": "out", "stderr": "err"}


def _processes_matching(pattern: str) -> list[str]:
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    return out.split()


def test_plan_timeout_kills_its_process_group(start_agent) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    marker = str(40000 + uuid.uuid4().int % 9999)
    script = f"sleep {marker} &\nsleep {marker}\necho never\n"
    started = time.monotonic()
    result = agent.call(_app_plan(script, Timeout=2), timeout=30)
    assert time.monotonic() - started < 15
    assert result["ErrorCode"] == 1
    assert "timed out after 2 seconds" in result["Body"]["Message"]
    time.sleep(0.5)
    assert _processes_matching(f"sleep {marker}") == []
    # The agent lives on and runs the next plan.
    assert agent.call(_app_plan("echo next"))["Body"] == "next"


def test_script_timeout_option_kills_the_script(start_agent) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    marker = str(50000 + uuid.uuid4().int % 9999)
    result = agent.call(_app_plan(f"echo started; sleep {marker}",
                                  options={"timeout": 1}), timeout=30)
    assert result["ErrorCode"] == 1
    assert result["Body"]["Message"] == "Script deploy timed out after 1 seconds"
    assert result["Body"]["AdditionalInfo"]["stdout"] == "started"
    time.sleep(0.5)
    assert _processes_matching(f"sleep {marker}") == []


def _config_plan(kind: str, entry: str) -> dict[str, Any]:
    return {"FormatVersion": "2.1.0", "Body": "return deploy({'port': 80}).stdout",
            "Scripts": {"deploy": {"Type": kind, "EntryPoint": entry, "Files": [],
                                   "Options": {}}},
            "Files": {}}


def test_chef_and_puppet_refused_without_their_tools(start_agent) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent(env={"PATH": "/usr/bin:/bin"})
    for kind, tool in (("Chef", "chef-solo"), ("Puppet", "puppet")):
        result = agent.call(_config_plan(kind, "web::server"))
        assert result["ErrorCode"] == 1
        assert result["Body"]["Message"].startswith(
            f"{kind} scripts are not supported on this instance: '{tool}' is not on PATH")


def test_chef_runs_chef_solo_when_installed(start_agent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "chef-solo"
    fake.write_text('#!/bin/sh\necho "chef-solo $*"; cat node.json\n')
    fake.chmod(0o755)
    agent = start_agent(env={"PATH": f"{tools}:/usr/bin:/bin"})
    result = agent.call(_config_plan("Chef", "web::server"))
    assert result["ErrorCode"] == 0, result
    first, node = result["Body"].split("\n", 1)
    assert first.startswith("chef-solo -j node.json -c ") and first.endswith("/solo.rb")
    assert node == '{"run_list": ["recipe[web::server]"], "web": {"port": 80}}'


def test_malformed_plans_get_error_results_and_agent_survives(start_agent) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    no_scripts = agent.call({"FormatVersion": "2.0.0", "Body": "return 1", "Files": {}})
    assert no_scripts["ErrorCode"] == 2
    assert no_scripts["Body"]["Message"] == "Scripts is not in the execution plan"

    escaping = _app_plan("echo x")
    escaping["Files"]["main"]["Name"] = "../../etc/evil.sh"
    assert agent.call(escaping)["ErrorCode"] == 2

    wrong_type = _app_plan("echo x")
    wrong_type["Scripts"]["deploy"]["Type"] = "Chef"
    result = agent.call(wrong_type)
    assert result["ErrorCode"] == 2
    assert result["Body"]["Message"] == "Type Chef is not valid for format 2.0.0"

    raising = agent.call(_app_plan("echo x", "raise ValueError('bad input')"))
    assert raising["ErrorCode"] == 1 and raising["Body"]["Message"] == "bad input"

    unserialisable = agent.call(_app_plan("echo x", "return object()"))
    assert unserialisable["ErrorCode"] == 1
    assert "not JSON serializable" in unserialisable["Body"]["Message"]

    agent.bus.send_plan(agent.queue, AgentMessage(body=b"{not json", message_id="junk"))
    assert agent.call(_app_plan("echo still alive"))["Body"] == "still alive"
    assert "body is not JSON" in agent.log()


def test_redelivered_plan_is_not_run_again(start_agent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    counter = tmp_path / "runs"
    plan = _app_plan(f"echo run >> {counter}; wc -l < {counter}", ID=uuid.uuid4().hex,
                     Stamp=int(time.time() * 10000))
    first = agent.call(plan)
    again = agent.call(plan)
    assert first["ErrorCode"] == 0 and first["Body"] == "1"
    assert again == first  # the stored result, same result ID
    assert counter.read_text() == "run\n"
    assert "already executed" in agent.log()


def test_plan_accepted_before_a_crash_runs_after_restart(start_agent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    agent = start_agent()
    done = tmp_path / "done"
    plan_id = uuid.uuid4().hex
    client = agent.client()
    client.send(agent.queue, _app_plan(f"sleep 3; echo ok > {done}; echo finished", ID=plan_id))
    deadline = time.monotonic() + 20
    while not list((agent.work_dir / "run").glob(plan_id)) and time.monotonic() < deadline:
        time.sleep(0.1)
    agent.process.kill()  # SIGKILL of the agent itself, mid-plan
    agent.process.wait()
    again = start_agent(work_dir=agent.work_dir, queue=agent.queue)
    answers: list[AgentMessage] = []
    again.bus.consume_agent_results(agent.result_queue, answers.append, max_messages=1,
                                    timeout=30)
    assert answers and b'"finished"' in answers[0].body
    assert done.read_text() == "ok\n"


def _key_files(tmp_path: Path, name: str) -> tuple[Path, Path]:
    private = tmp_path / f"{name}.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(private), "2048"], check=True,
                   capture_output=True)
    public = tmp_path / f"{name}.pub"
    public.write_text(PlanSigner.from_file(private).public_key_pem())
    return private, public


def test_signed_plans_accepted_unsigned_and_forged_refused(start_agent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine_key, engine_pub = _key_files(tmp_path, "engine")
    other_key, _ = _key_files(tmp_path, "other")
    agent = start_agent("--signing-key", str(engine_pub))
    signed = agent.client(PlanSigner.from_file(engine_key)).call(agent.queue,
                                                                 _app_plan("echo trusted"), 30)
    assert signed["Body"] == "trusted"
    with pytest.raises(AgentTimeout):
        agent.client().call(agent.queue, _app_plan("echo ZQX-UNSIGNED"), 4)
    with pytest.raises(AgentTimeout):
        agent.client(PlanSigner.from_file(other_key)).call(agent.queue,
                                                           _app_plan("echo ZQX-FORGED"), 4)
    log = agent.log()
    assert "missing signature" in log and "invalid signature" in log
    assert "ZQX" not in log  # plan bodies are never logged


@pytest.mark.root
def test_agent_in_its_own_namespaces_reaches_a_bind_mounted_spool(tmp_path: Path) -> None:
    """As in a local instance: own PID and mount namespaces, the bus folder bind-mounted."""
    import os
    import shutil
    import sys

    from fornace.bus import AgentClient, open_bus, spool_url

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare")
    host_folder = tmp_path / "bus"
    host_folder.mkdir()
    inside = "/mnt/fornace-bus-test"
    root = str(Path(__file__).resolve().parents[3])
    script = (f"mount --make-rprivate / && mkdir -p {inside} && "
              f"mount --bind {host_folder} {inside} && "
              f"exec {sys.executable} -m fornace.cli.main agent --bus-url spool://{inside} "
              f"--queue e1-h1 --result-queue results --work-dir {tmp_path / 'work'}")
    log = open(tmp_path / "agent.log", "wb")
    agent = subprocess.Popen(["unshare", "--mount", "--pid", "--fork", "--kill-child",
                              "sh", "-c", script], env={**os.environ, "PYTHONPATH": root},
                             stdout=log, stderr=log, start_new_session=True)
    try:
        with open_bus(spool_url(host_folder)) as bus:
            result = AgentClient(bus, "results").call(
                "e1-h1", _app_plan("echo pid $$ in $(cat /proc/self/mountinfo | wc -l) mounts"),
                30)
        assert result["ErrorCode"] == 0, result
        assert result["Body"].startswith("pid ")
    finally:
        os.killpg(agent.pid, 9)
        agent.wait()
        log.close()


def test_agent_waits_for_an_unreachable_bus(tmp_path: Path) -> None:
    import os
    import signal
    import sys

    root = str(Path(__file__).resolve().parents[3])
    log_path = tmp_path / "agent.log"
    with open(log_path, "wb") as log:
        agent = subprocess.Popen(
            [sys.executable, "-m", "fornace.cli.main", "agent", "--bus-url",
             "amqp://guest:guest@127.0.0.1:9//", "--queue", "q", "--work-dir",
             str(tmp_path / "work")], env={**os.environ, "PYTHONPATH": root},
            stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while "bus unavailable" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert agent.poll() is None  # still alive, retrying
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(20)
    text = log_path.read_text()
    assert "bus unavailable, retrying" in text and "127.0.0.1:9" in text
    assert "guest:guest" not in text  # the password is masked
    assert "agent stopped" in text


def test_murano_putfile_and_runcommand_templates(start_agent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Plans as the engine builds them from io.murano's PutFile and RunCommand templates."""
    agent = start_agent()
    target = tmp_path / "placed.bin"
    content = b"\x00binary\xffcontent"
    put_file = {
        "FormatVersion": "2.0.0", "Version": "1.0.0", "Name": "Put file", "Action": "Execute",
        "Parameters": {"path": str(target)},
        "Body": "return putFile(\"'{0}'\".format(args.path)).exitCode == 0\n",
        "Files": {
            "destinationFile": {"BodyType": "Base64", "Name": "destinationFile",
                                "Body": base64.b64encode(content).decode() + "\n"},
            "a1b2": _text("putFile.sh",
                          'TARGET_PATH=$1\n\nmv "$(readlink destinationFile)" "$TARGET_PATH"\n'),
        },
        "Scripts": {"putFile": {"Type": "Application", "Version": "1.0.0", "EntryPoint": "a1b2",
                                "Files": ["destinationFile"],
                                "Options": {"captureStdout": False, "captureStderr": True,
                                            "verifyExitcode": True}}},
        "Stamp": int(time.time() * 10000),
    }
    result = agent.call(put_file)
    assert result["ErrorCode"] == 0 and result["Body"] is True, result
    assert target.read_bytes() == content

    run_command = {
        "FormatVersion": "2.0.0", "Version": "1.0.0", "Name": "Run command",
        "Body": "return runCommand()",
        "Files": {"scriptFile": _text("scriptFile.sh", "hostname >/dev/null && echo ran")},
        "Scripts": {"runCommand": {"Type": "Application", "Version": "1.0.0",
                                   "EntryPoint": "scriptFile",
                                   "Options": {"captureStdout": True, "captureStderr": True,
                                               "verifyExitcode": True}}},
        "Stamp": int(time.time() * 10000),
    }
    result = agent.call(run_command)
    assert decode_result(result) == {"exitCode": 0, "stdout": "ran", "stderr": None}
