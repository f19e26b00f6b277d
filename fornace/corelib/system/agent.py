"""``io.murano.system.Agent`` and ``AgentListener``: execution plans to instance agents.

Plans are built from Resources templates the way Murano's buildExecutionPlan
did: a v2 template gets an ID, a Stamp, ``Action: Execute``; every script entry
point and script file that is not already in ``Files`` is read from the package's
``Resources/scripts/`` (``<name>`` means Base64) or, for a URL, becomes a
downloadable file. A v1 template's ``Scripts`` (file names) are read and Base64
encoded. Results are decoded with Murano's v1/v2 rules.
"""

from __future__ import annotations

import base64
import copy
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from fornace.corelib.errors import AgentException, PolicyViolationException, TimeoutException
from fornace.corelib.system._base import SystemPart
from fornace.corelib.system.resources import Resources, resources_part
from fornace.dsl import murano_method

SCRIPTS_FOLDER = "scripts"
DEFAULT_TIMEOUT = 3600  # Murano's engine.agent_timeout

_stamp_lock = threading.Lock()
_last_stamp = 0


def _generate_stamp() -> int:
    global _last_stamp
    with _stamp_lock:
        stamp = int(time.time() * 10000)
        if stamp <= _last_stamp:
            stamp = _last_stamp + 1
        _last_stamp = stamp
        return stamp


def _is_url(value: Any) -> bool:
    if isinstance(value, dict):
        value = next(iter(value.values()), "")
    parts = urlsplit(str(value))
    return bool(parts.scheme and parts.netloc)


def _file_name(entry: Any) -> str:
    name = str(next(iter(entry)) if isinstance(entry, dict) else entry)
    if _is_url(name):
        return name[name.rindex("/") + 1:]
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    return name


def _file_value(entry: Any) -> str:
    return str(next(iter(entry.values())) if isinstance(entry, dict) else entry)


class PlanBuilder:
    """Murano's execution plan building, reading script files through ``resources``."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def build(self, template: Any) -> dict[str, Any]:
        if not isinstance(template, dict):
            raise ValueError("Incorrect execution plan")
        plan = copy.deepcopy(template)
        version = str(plan.get("FormatVersion") or "")
        if not version or version.startswith("1."):
            return self._build_v1(plan)
        return self._build_v2(plan)

    def _build_v1(self, plan: dict[str, Any]) -> dict[str, Any]:
        plan["Scripts"] = [
            base64.b64encode(self.resources.read(f"{SCRIPTS_FOLDER}/{name}")).decode("ascii")
            for name in plan.get("Scripts") or []]
        plan["Stamp"] = _generate_stamp()
        return plan

    def _build_v2(self, plan: dict[str, Any]) -> dict[str, Any]:
        plan["ID"] = uuid.uuid4().hex
        plan["Stamp"] = _generate_stamp()
        plan.setdefault("Action", "Execute")
        plan.setdefault("Files", {})
        plan["Files"] = dict(plan["Files"] or {})
        by_name = {str(d.get("Name")): file_id for file_id, d in plan["Files"].items()
                   if isinstance(d, dict)}
        for name, script in (plan.get("Scripts") or {}).items():
            if "EntryPoint" not in script:
                raise ValueError(f"No entry point in script {name}")
            if script.get("Type") == "Application":
                entry = script["EntryPoint"]
                script["EntryPoint"] = by_name.get(entry) or self._place(entry, plan, by_name)
            files = script.get("Files")
            if files:
                script["Files"] = [by_name.get(_file_name(f)) if _file_name(f) in by_name
                                   else self._place(f, plan, by_name) for f in files]
        return plan

    def _place(self, entry: Any, plan: dict[str, Any], by_name: dict[str, str]) -> str:
        name = _file_name(entry)
        value = _file_value(entry)
        file_id = uuid.uuid4().hex
        if _is_url(value):
            plan["Files"][file_id] = {"Name": name, "URL": value, "Type": "Downloadable"}
        elif value.startswith("<") and value.endswith(">"):
            raw = self.resources.read(f"{SCRIPTS_FOLDER}/{value[1:-1]}")
            plan["Files"][file_id] = {"Name": name, "BodyType": "Base64",
                                      "Body": base64.b64encode(raw).decode("ascii") + "\n"}
        else:
            text = self.resources.read(f"{SCRIPTS_FOLDER}/{value}").decode("utf-8")
            plan["Files"][file_id] = {"Name": name, "BodyType": "Text", "Body": text}
        by_name[name] = file_id
        return file_id


class Agent(SystemPart):
    def __init__(self, this: Any, host: Any = None, **_: Any) -> None:
        super().__init__(this)
        self.host = host
        self._prepared = False

    # -- plumbing ---------------------------------------------------------
    def _broker(self) -> Any:
        if self.services.config.get("disable_murano_agent"):
            raise PolicyViolationException(
                "Use of murano-agent is disallowed by the server configuration")
        broker = self.services.agents
        if broker is None:
            raise PolicyViolationException(
                "no agent bus is configured for the engine",
                hint="Give the engine an agent broker (fornace.corelib.agents).")
        return broker

    def _environment_id(self) -> str:
        env = self.host.find_owner("io.murano.Environment") if self.host is not None else None
        return str(env.id) if env is not None else self.services.environment_id

    def _timeout(self, timeout: Any) -> float:
        if timeout is None:
            return float(self.services.config.get("agent_timeout", DEFAULT_TIMEOUT))
        return float(timeout)

    def _send(self, plan: dict[str, Any], wait: bool, timeout: float) -> Any:
        from fornace.bus import AgentError, AgentTimeout, decode_result

        broker = self._broker()
        self.prepare()
        channel = broker.channel()
        queue = self.queue_name()
        if not wait:
            channel.send(queue, plan)
            return None
        try:
            raw = channel.call(queue, plan, timeout)
        except AgentTimeout as exc:
            raise TimeoutException(
                f"The murano-agent did not respond within {timeout:g} seconds",
                hint=exc.hint) from exc
        try:
            return decode_result(raw)
        except AgentError as exc:
            raise AgentException(exc.info) from exc

    # -- MuranoPL ---------------------------------------------------------
    @murano_method
    def queue_name(self) -> str:
        from fornace.bus import agent_queue_name
        return agent_queue_name(self._environment_id(), str(self.host.id))

    @murano_method
    def prepare(self) -> None:
        """Declare the instance's input queue (before its agent starts)."""
        if not self._prepared:
            self._broker().declare(self.queue_name())
            self._prepared = True

    @murano_method
    def signing_key(self, line_prefix: str = "") -> str:
        broker = self.services.agents
        key = broker.public_key_pem() if broker is not None else ""
        if not key:
            return ""
        return line_prefix + line_prefix.join(key.splitlines(True))

    @murano_method
    def boot_script(self, hostname: Any = None) -> str:
        """Fornace: the user data that starts this instance's agent (see userdata.py)."""
        from fornace.corelib.userdata import agent_user_data
        broker = self._broker()
        return agent_user_data(broker.agent_bus_url(), self.queue_name(),
                               result_queue=broker.result_queue(),
                               signing_key_pem=broker.public_key_pem(),
                               hostname=None if hostname is None else str(hostname))

    @murano_method
    def call(self, template: Any, resources: Any, timeout: Any = None) -> Any:
        plan = PlanBuilder(resources_part(resources)).build(template)
        return self._send(plan, True, self._timeout(timeout))

    @murano_method
    def send(self, template: Any, resources: Any) -> None:
        plan = PlanBuilder(resources_part(resources)).build(template)
        self._send(plan, False, 0)

    @murano_method
    def call_raw(self, plan: Any, timeout: Any = None) -> Any:
        return self._send(dict(plan), True, self._timeout(timeout))

    @murano_method
    def send_raw(self, plan: Any) -> None:
        self._send(dict(plan), False, 0)

    @murano_method
    def is_ready(self, timeout: Any = 100) -> bool:
        try:
            self.wait_ready(timeout)
        except TimeoutException:
            return False
        return True

    @murano_method
    def wait_ready(self, timeout: Any = 100) -> None:
        self._send({"FormatVersion": "2.0.0", "Body": "return", "Scripts": {}, "Files": {}},
                   True, float(timeout))


class AgentListener(SystemPart):
    """Results come back through the environment's AgentClient, matched by plan id;
    the listener only names the result queue (Murano's ``-execution-results-<name>``)."""

    def __init__(self, this: Any, name: str = "", **_: Any) -> None:
        super().__init__(this)
        self.name = name

    @murano_method
    def queue_name(self) -> str:
        broker = self.services.agents
        if broker is not None:
            return str(broker.result_queue())
        return f"-execution-results-{self.name}".lower()

    @murano_method
    def start(self) -> None:
        return None

    @murano_method
    def stop(self) -> None:
        return None
