"""Cooperative green threads for ``Parallel``, ``psuper``, ``pselect`` and ``sleep``.

Murano ran MuranoPL on eventlet: one OS thread, tasks switching only at
``sleep()`` (and at I/O), which makes interleavings deterministic; the
tests pin them. Here each branch is an OS thread, but a baton lets exactly
one run at a time; ``sleep`` passes the baton round-robin.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any


class _Task:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class Scheduler:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.queue: deque[_Task] = deque()
        self.local = threading.local()
        self.counter = 0
        main = _Task("T0")
        self.local.task = main
        self.running: _Task | None = main

    def current(self) -> _Task:
        task = getattr(self.local, "task", None)
        if task is None:
            task = _Task(f"T{self.counter}")
            self.local.task = task
            with self.cond:
                if self.running is None:
                    self.running = task
        return task

    def _pass(self) -> None:
        self.running = self.queue.popleft() if self.queue else None
        self.cond.notify_all()

    def _wait_turn(self, task: _Task) -> None:
        while self.running is not task:
            self.cond.wait()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)
        me = self.current()
        with self.cond:
            if not self.queue:
                return
            self.queue.append(me)
            self._pass()
            self._wait_turn(me)

    def run(self, branches: list[Callable[[], Any]], limit: int) -> list[Any]:
        me = self.current()
        n = len(branches)
        results: list[Any] = [None] * n
        errors: list[BaseException | None] = [None] * n
        state = {"next": 0, "done": 0}

        def runner(task: _Task, index: int) -> None:
            self.local.task = task
            with self.cond:
                self._wait_turn(task)
            try:
                results[index] = branches[index]()
            except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
                errors[index] = exc
            with self.cond:
                state["done"] += 1
                if state["next"] < n:
                    start(state["next"])
                if state["done"] == n:
                    self.queue.append(me)
                self._pass()

        def start(index: int) -> None:
            state["next"] = index + 1
            self.counter += 1
            task = _Task(f"T{self.counter}")
            thread = threading.Thread(target=runner, args=(task, index), daemon=True)
            self.queue.append(task)
            thread.start()

        if n == 0:
            return []
        with self.cond:
            for index in range(min(max(limit, 1), n)):
                start(index)
            self._pass()
            self._wait_turn(me)
        for exc in errors:
            if exc is not None:
                raise exc
        return results


def run_branches(executor: Any, branches: list[Callable[[], Any]], limit: int) -> list[Any]:
    if executor.scheduler is None:
        executor.scheduler = Scheduler()
    return executor.scheduler.run(branches, limit)  # type: ignore[no-any-return]
