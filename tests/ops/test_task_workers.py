"""Two task workers (``zhouqiao db_worker``) on one queue never run a task twice: each takes a task
with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL) or inside an exclusive transaction (SQLite)
and claims it before letting go. Both databases; the negative control (a worker that reads without
locking) runs on PostgreSQL, where only the lock keeps two workers apart — on SQLite every write
transaction takes the whole database (BEGIN IMMEDIATE), so no unlocked variant can race there."""

import contextlib
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from tests.ops import tasks

TASKS = 30


def _run_two_workers():
    def work(n):
        try:
            db_worker.Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"worker-{n}",
                excluded_queue_names=[],
            ).run()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,), name=f"worker-{n}") for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)


@pytest.fixture
def queue(transactional_db):
    tasks.RUNS.clear()
    for n in range(TASKS):
        tasks.record_run.enqueue(n)
    yield
    tasks.RUNS.clear()


def test_two_workers_run_every_task_exactly_once(queue):
    _run_two_workers()
    runs = Counter(number for number, _worker in tasks.RUNS)
    assert runs == Counter(range(TASKS))  # each task once, none lost, none twice
    assert DBTaskResult.objects.successful().count() == TASKS
    assert {worker for _number, worker in tasks.RUNS} == {"worker-1", "worker-2"}  # both worked


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises every write transaction")
def test_negative_control_workers_that_do_not_lock_run_tasks_twice(queue, monkeypatch):
    def unlocked_first(self):
        found = self.first()  # no FOR UPDATE SKIP LOCKED
        time.sleep(0.02)  # the other worker reads the same row meanwhile
        return found

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", unlocked_first)
    monkeypatch.setattr(db_worker, "exclusive_transaction", lambda using=None: contextlib.nullcontext())
    _run_two_workers()
    runs = Counter(number for number, _worker in tasks.RUNS)
    assert max(runs.values()) > 1
    assert connection.vendor == "postgresql"
