"""The fencing lease: who may run a task of an environment, and what a redelivery means."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from fornace.db import make_engine, make_sessionmaker
from fornace.db.models import EngineLease, Environment, Task
from fornace.db.repositories.sessions import now_precise
from fornace.engine import lease
from fornace.engine.lease import Claim


@pytest.fixture
def sessions(clean_database):  # type: ignore[no-untyped-def]
    factory = make_sessionmaker(make_engine(clean_database))
    with factory() as db, db.begin():
        db.add(Environment(id="e1", name="e1", tenant_id="p"))
        db.flush()
        db.add_all([Task(id="t1", environment_id="e1", started=now_precise()),
                    Task(id="t2", environment_id="e1", started=now_precise())])
    return factory


def expire(sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions() as db, db.begin():
        db.execute(update(EngineLease).values(expires=now_precise() - timedelta(seconds=1)))


def test_one_engine_at_a_time_and_release(sessions):
    assert lease.claim(sessions, "e1", "t1", "A", 30) is Claim.ACQUIRED
    assert lease.claim(sessions, "e1", "t2", "B", 30) is Claim.BUSY
    assert lease.renew(sessions, "e1", "A", 30)
    assert not lease.renew(sessions, "e1", "B", 30)
    assert lease.release(sessions, "e1", "A")
    assert lease.claim(sessions, "e1", "t1", "B", 30) is Claim.FINISHED  # redelivered copy
    assert lease.claim(sessions, "e1", "t2", "B", 30) is Claim.ACQUIRED


def test_expired_lease_of_the_same_task_is_an_orphan(sessions):
    assert lease.claim(sessions, "e1", "t1", "A", 30) is Claim.ACQUIRED
    expire(sessions)
    assert lease.claim(sessions, "e1", "t1", "B", 30) is Claim.ORPHANED
    assert not lease.holds(sessions, "e1", "A")
    assert lease.holds(sessions, "e1", "B")
    assert not lease.release(sessions, "e1", "A")  # the dead engine lost it


def test_expired_lease_of_another_task_is_taken_over(sessions):
    assert lease.claim(sessions, "e1", "t1", "A", 30) is Claim.ACQUIRED
    expire(sessions)
    assert lease.claim(sessions, "e1", "t2", "B", 30) is Claim.ACQUIRED


def test_finished_or_gone_tasks_are_dropped(sessions):
    with sessions() as db, db.begin():
        db.execute(update(Task).where(Task.id == "t1").values(finished=now_precise()))
    assert lease.claim(sessions, "e1", "t1", "A", 30) is Claim.FINISHED
    assert lease.claim(sessions, "e1", "t9", "A", 30) is Claim.GONE
    assert lease.claim(sessions, "e9", "t2", "A", 30) is Claim.GONE


def test_a_short_lease_expires_by_itself(sessions):
    assert lease.claim(sessions, "e1", "t1", "A", 0.2) is Claim.ACQUIRED
    assert lease.claim(sessions, "e1", "t2", "B", 30) is Claim.BUSY
    time.sleep(0.3)
    assert lease.claim(sessions, "e1", "t2", "B", 30) is Claim.ACQUIRED
