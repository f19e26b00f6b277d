"""The broker-less transport: queues in one SQLite file inside a folder.

URL: ``spool:///absolute/folder``. The folder holds ``bus.sqlite`` and ``consumers/``.
Any process that can open the folder takes part, including an agent inside a local
instance when the folder is bind-mounted there (no network, no broker process).

Guarantees (see docs/bus.md for the measurements):
- a message is a row, written in a committed transaction (WAL, synchronous=FULL),
  so it survives the restart of every process;
- ``get`` claims the oldest unclaimed row of a queue in one write transaction, so
  competing consumers never receive the same message at the same time;
- ``ack`` deletes the row; ``requeue`` clears the claim;
- every transport holds an exclusive ``flock`` on ``consumers/<token>.lock`` for
  its whole life. The kernel drops that lock when the process dies, even by
  SIGKILL; any consumer that finds a claim whose owner's lock is free returns
  the row to the queue, where it keeps its place. flock works across PID and
  mount namespaces as long as the folder is the same (bind-mounted) directory.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from fornace.bus._transport import Outgoing, QueueKind
from fornace.bus.errors import BusUnavailable

log = logging.getLogger(__name__)

SCHEME = "spool"
_REAP_INTERVAL = 0.5  # seconds between checks for claims of dead consumers
_POLL_MIN, _POLL_MAX = 0.02, 0.25

_SCHEMA = """
CREATE TABLE IF NOT EXISTS message (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    body BLOB NOT NULL,
    properties TEXT NOT NULL,
    claimed_by TEXT,
    deliveries INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS message_queue ON message (queue, claimed_by, seq);
"""


def spool_folder(url: str) -> Path:
    """The folder named by ``spool:///path`` (``spool://relative`` is refused)."""
    parts = urlsplit(url)
    if parts.scheme != SCHEME or parts.netloc or not parts.path.startswith("/"):
        raise BusUnavailable(
            f"bad broker-less bus URL {url!r}",
            hint="write it as spool:///absolute/path/to/folder",
        )
    return Path(unquote(parts.path))


def spool_url(folder: Path | str) -> str:
    return f"{SCHEME}://{Path(folder).absolute()}"


def _encode_properties(message: Outgoing) -> str:
    headers = {
        k: {"b64": base64.b64encode(v).decode()} if isinstance(v, bytes) else v
        for k, v in message.headers.items()
    }
    return json.dumps({
        "message_id": message.message_id,
        "correlation_id": message.correlation_id,
        "reply_to": message.reply_to,
        "headers": headers,
    })


def _decode_headers(raw: Mapping[str, object]) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    for key, value in raw.items():
        if isinstance(value, dict) and "b64" in value:
            out[key] = base64.b64decode(value["b64"])
        else:
            out[key] = str(value)
    return out


@dataclass
class SpoolDelivery:
    transport: SpoolTransport
    seq: int
    body: bytes
    message_id: str | None
    correlation_id: str | None
    reply_to: str | None
    headers: Mapping[str, str | bytes] = field(default_factory=dict)
    redelivered: bool = False

    def ack(self) -> None:
        self.transport._settle(self.seq, delete=True)

    def requeue(self) -> None:
        self.transport._settle(self.seq, delete=False)


class SpoolTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.token = uuid.uuid4().hex
        self._lock = threading.RLock()
        self._last_reap = 0.0
        try:
            # Task messages carry tokens: only the owner may read the spool. SQLite gives
            # its -wal and -shm files the database file's mode.
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            (folder / "consumers").mkdir(mode=0o700, exist_ok=True)
            os.close(os.open(folder / "bus.sqlite", os.O_CREAT | os.O_RDWR, 0o600))
            # Lock first, then make the file visible: a visible lock file is always held
            # by a live owner or by none.
            consumers = folder / "consumers"
            self._lock_fd = os.open(consumers / f"{self.token}.new", os.O_CREAT | os.O_RDWR,
                                    0o600)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(consumers / f"{self.token}.new", consumers / f"{self.token}.lock")
            self._sweep_dead_lock_files()
            self._db = sqlite3.connect(folder / "bus.sqlite", timeout=30,
                                       isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise BusUnavailable(
                f"cannot open the broker-less bus in {folder}: {exc}",
                hint="make the folder writable (or set FORNACE_BUS_URL to a RabbitMQ URL)",
            ) from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise BusUnavailable(
                    f"the broker-less bus in {self.folder} failed: {exc}",
                    hint="check the disk and the folder's permissions",
                ) from exc

    def declare(self, queue: str, kind: QueueKind) -> None:
        """Queues exist implicitly: a queue is the set of rows carrying its name."""

    def put(self, queue: str, message: Outgoing) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO message (queue, body, properties, created) VALUES (?, ?, ?, ?)",
                (queue, message.body, _encode_properties(message), time.time()),
            )

    def get(self, queue: str, timeout: float) -> SpoolDelivery | None:
        deadline = time.monotonic() + max(timeout, 0.0)
        pause = _POLL_MIN
        while True:
            self._reap_dead_claims()
            delivery = self._claim(queue)
            if delivery is not None:
                return delivery
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            time.sleep(min(pause, left))
            pause = min(pause * 2, _POLL_MAX)

    def _claim(self, queue: str) -> SpoolDelivery | None:
        # Look without the write lock first: idle consumers must not queue up on it.
        try:
            with self._lock:
                waiting = self._db.execute(
                    "SELECT 1 FROM message WHERE queue = ? AND claimed_by IS NULL LIMIT 1",
                    (queue,)).fetchone()
        except sqlite3.Error as exc:
            raise BusUnavailable(f"the broker-less bus in {self.folder} failed: {exc}",
                                 hint="check the disk and the folder's permissions") from exc
        if waiting is None:
            return None
        with self._write() as db:
            row = db.execute(
                "SELECT seq, body, properties, deliveries FROM message "
                "WHERE queue = ? AND claimed_by IS NULL ORDER BY seq LIMIT 1",
                (queue,),
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE message SET claimed_by = ?, deliveries = deliveries + 1 "
                       "WHERE seq = ?", (self.token, row[0]))
        props = json.loads(row[2])
        return SpoolDelivery(
            transport=self, seq=row[0], body=bytes(row[1]),
            message_id=props.get("message_id"), correlation_id=props.get("correlation_id"),
            reply_to=props.get("reply_to"), headers=_decode_headers(props.get("headers") or {}),
            redelivered=row[3] > 0,
        )

    def _settle(self, seq: int, *, delete: bool) -> None:
        with self._write() as db:
            if delete:
                db.execute("DELETE FROM message WHERE seq = ? AND claimed_by = ?",
                           (seq, self.token))
            else:
                db.execute("UPDATE message SET claimed_by = NULL WHERE seq = ? AND claimed_by = ?",
                           (seq, self.token))

    def _reap_dead_claims(self) -> None:
        now = time.monotonic()
        if now - self._last_reap < _REAP_INTERVAL:
            return
        self._last_reap = now
        with self._lock:
            owners = [r[0] for r in self._db.execute(
                "SELECT DISTINCT claimed_by FROM message WHERE claimed_by IS NOT NULL "
                "AND claimed_by != ?", (self.token,))]
        for owner in owners:
            if self._owner_is_dead(owner):
                with self._write() as db:
                    released = db.execute("UPDATE message SET claimed_by = NULL "
                                          "WHERE claimed_by = ?", (owner,)).rowcount
                log.info("returned %d message(s) of dead consumer %s to their queues",
                         released, owner)
                try:
                    (self.folder / "consumers" / f"{owner}.lock").unlink()
                except FileNotFoundError:
                    pass

    def _sweep_dead_lock_files(self) -> None:
        """Remove lock files of consumers that died holding no claim (claims are
        released anyway: a claim whose lock file is missing counts as dead)."""
        for path in (self.folder / "consumers").glob("*.lock"):
            if path.stem != self.token and self._owner_is_dead(path.stem):
                path.unlink(missing_ok=True)

    def _owner_is_dead(self, owner: str) -> bool:
        path = self.folder / "consumers" / f"{owner}.lock"
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # the owner is alive and holds its lock
        finally:
            os.close(fd)  # closing drops the lock we may have taken
        return True

    def delete(self, queue: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM message WHERE queue = ?", (queue,))

    def close(self) -> None:
        with self._lock:
            if self._lock_fd < 0:
                return
            # Whatever this transport still holds goes back to its queue.
            try:
                with self._write() as db:
                    db.execute("UPDATE message SET claimed_by = NULL WHERE claimed_by = ?",
                               (self.token,))
            finally:
                self._db.close()
                try:
                    (self.folder / "consumers" / f"{self.token}.lock").unlink()
                except FileNotFoundError:
                    pass
                os.close(self._lock_fd)
                self._lock_fd = -1
