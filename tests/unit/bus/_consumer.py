"""A consumer process for the bus tests: python _consumer.py URL PREFIX MODE OUT

MODE ``hang``: take one task, write its id to OUT, then sleep (to be killed before ack).
MODE ``drain:SECONDS``: handle tasks for SECONDS, appending each id to OUT.
MODE ``publish:N``: publish N tasks and exit.
"""

from __future__ import annotations

import sys
import time

from fornace.bus import Task, TaskMessage, open_bus


def main() -> None:
    url, prefix, mode, out = sys.argv[1:5]
    bus = open_bus(url, prefix=prefix)
    if mode.startswith("publish:"):
        for i in range(int(mode.split(":")[1])):
            bus.publish_task(TaskMessage(task=Task(id=f"env-{i}")))
        bus.close()
        return

    def handle(message: TaskMessage) -> None:
        with open(out, "a") as f:
            f.write(message.task.id + "\n")
        if mode == "hang":
            time.sleep(3600)
        time.sleep(0.01)

    seconds = float(mode.split(":")[1]) if ":" in mode else 30.0
    bus.consume_tasks(handle, timeout=seconds, max_messages=1 if mode == "hang" else None)
    bus.close()


if __name__ == "__main__":
    main()
