"""A task for the two-worker test: it records which worker ran it."""

import threading
import time

from django_tasks import task

RUNS: list[tuple[int, str]] = []
_LOCK = threading.Lock()


@task()
def record_run(number: int) -> None:
    time.sleep(0.005)
    with _LOCK:
        RUNS.append((number, threading.current_thread().name))
