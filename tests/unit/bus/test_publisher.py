from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from fornace.bus import BusTaskPublisher, InvalidMessage, SchemaRequest, StaticActionRequest


def test_publisher_serves_api_threads(make_bus, bus_url: str, prefix: str) -> None:  # type: ignore[no-untyped-def]
    def answer(message: Any) -> Any:
        if isinstance(message, StaticActionRequest):
            return message.task.action.args["n"] * 2
        if isinstance(message, SchemaRequest):
            return {"class": message.class_name}
        return None

    stop = threading.Event()
    engine = make_bus()
    worker = threading.Thread(target=engine.consume_tasks, args=(answer,),
                              kwargs={"stop": stop, "timeout": 60}, daemon=True)
    worker.start()
    publisher = BusTaskPublisher(bus_url, prefix=prefix)
    try:
        def static(n: int) -> Any:
            return publisher.call_static_action(
                {"id": f"t{n}", "token": "x", "project_id": "p", "user_id": "u",
                 "action": {"method": "double", "args": {"n": n}, "class_name": "a.B",
                            "pkg_name": "a", "class_version": "=0"}}, 15)

        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(static, range(8))) == [n * 2 for n in range(8)]
        assert publisher.generate_schema({"class_name": "a.B", "method_names": ["m"],
                                          "context": {"project_id": "p"}}, 15) == {"class": "a.B"}
        publisher.publish_task({"id": "env-1", "action": None, "model": {}})
    finally:
        stop.set()
        worker.join(10)
        publisher.close()
    with pytest.raises(InvalidMessage):
        BusTaskPublisher(bus_url, prefix=prefix).publish_task({"action": None})
