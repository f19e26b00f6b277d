"""Measure kombu's broker-less transports against the guarantees Fornace's bus needs.

Run: python bench/bus_transports.py  (prints one line per check and transport;
``spool://`` is Fornace's own broker-less transport, fornace.bus.spool)

Checks, each in fresh folders/databases and separate processes:
  restart    a message published by one process is consumed by a later one
  sigkill    a consumer takes a message and is killed with SIGKILL before ack;
             does a later consumer get the message again?
  compete    two consumer processes drain 40 messages: how many were delivered twice?
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILD = r"""
import json, sys, time, kombu
url, opts = sys.argv[1], json.loads(sys.argv[2])
mode, queue, out = sys.argv[3:6]
with kombu.Connection(url, transport_options=opts) as conn:
    ex = kombu.Exchange(queue, 'direct', durable=True)
    q = kombu.Queue(queue, ex, routing_key=queue, durable=True)
    if mode.startswith('publish'):
        n = int(mode.split(':')[1])
        with conn.Producer() as p:
            for i in range(n):
                p.publish({'n': i}, exchange=ex, routing_key=queue, declare=[q],
                          delivery_mode=2)
        sys.exit(0)
    got = []
    def on(body, msg):
        got.append(body['n'])
        with open(out, 'a') as f:
            f.write(json.dumps(body['n']) + '\n')
        if mode == 'hang':
            time.sleep(3600)   # killed here, before ack
        time.sleep(0.02)
        msg.ack()
    with conn.Consumer(q, callbacks=[on], prefetch_count=1):
        deadline = time.time() + float(mode.split(':')[1]) if ':' in mode else time.time() + 5
        while time.time() < deadline:
            try:
                conn.drain_events(timeout=0.5)
            except Exception:
                pass
"""


SPOOL_CHILD = r"""
import sys, time
from fornace.bus import Task, TaskMessage, open_bus
url, mode, queue, out = sys.argv[1], sys.argv[3], sys.argv[4], sys.argv[5]
bus = open_bus(url, prefix=queue)
if mode.startswith('publish'):
    for i in range(int(mode.split(':')[1])):
        bus.publish_task(TaskMessage(task=Task(id=str(i))))
    sys.exit(0)
def on(message):
    with open(out, 'a') as f:
        f.write(message.task.id + '\n')
    if mode == 'hang':
        time.sleep(3600)
    time.sleep(0.02)
seconds = float(mode.split(':')[1]) if ':' in mode else 5
bus.consume_tasks(on, timeout=seconds, max_messages=1 if mode == 'hang' else None)
"""


def run(url, opts, mode, queue, out, wait=True):
    child = SPOOL_CHILD if url.startswith("spool:") else CHILD
    argv = [sys.executable, "-c", child, url, json.dumps(opts), mode, queue, out]
    proc = subprocess.Popen(argv, env={**os.environ, "PYTHONPATH": ROOT})
    if wait:
        proc.wait(60)
    return proc


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [int(x) for x in f.read().split()]


def transports(tmp):
    fs_in = os.path.join(tmp, "fs")
    os.makedirs(fs_in)
    yield "filesystem://", "filesystem://", {"data_folder_in": fs_in, "data_folder_out": fs_in,
                                              "polling_interval": 0.1}
    yield "sqla+sqlite://", f"sqla+sqlite:///{tmp}/bus.sqlite", {}
    yield "spool://", f"spool://{tmp}/spool", {}


def main():
    for name, url, opts in transports(tempfile.mkdtemp()):
        out = tempfile.mktemp()
        run(url, opts, "publish:1", "restart", out)
        run(url, opts, "drain:3", "restart", out)
        print(f"{name:15} restart: consumed after publisher exited: {lines(out) == [0]}")

        out = tempfile.mktemp()
        run(url, opts, "publish:1", "kill", out)
        proc = run(url, opts, "hang", "kill", out, wait=False)
        deadline = time.time() + 20
        while not lines(out) and time.time() < deadline:
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        run(url, opts, "drain:3", "kill", out)
        print(f"{name:15} sigkill: deliveries {lines(out)} (redelivered: {len(lines(out)) == 2})")

        out = tempfile.mktemp()
        run(url, opts, "publish:40", "compete", out)
        a = run(url, opts, "drain:8", "compete", out, wait=False)
        b = run(url, opts, "drain:8", "compete", out, wait=False)
        a.wait(), b.wait()
        got = lines(out)
        print(f"{name:15} compete: {len(got)} deliveries of {len(set(got))} distinct of 40 "
              f"(duplicates: {len(got) - len(set(got))})")


if __name__ == "__main__":
    main()
