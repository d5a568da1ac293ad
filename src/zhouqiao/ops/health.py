"""``GET /healthz``: is this instance fit to serve? JSON, 200 when every check passes, else 503.

- ``database``: a round trip to the database.
- ``tasks``: the task queue's lag — how long the oldest task that is due has been waiting for the
  worker (``zhouqiao db_worker``); more than ``HEALTH_TASK_LAG_SECONDS`` means the worker is down
  or behind.
- ``disk``: free space where the media files (and the SQLite database) live; less than
  ``HEALTH_DISK_MIN_FREE_MB`` fails.

Meant for the load balancer and monitoring: nginx serves it to the local network only (deploy/).
"""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult, get_date_max

from zhouqiao.core import clock


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any failure means "not healthy", reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_tasks(now=None) -> dict:
    now = now or clock.now()
    limit = settings.HEALTH_TASK_LAG_SECONDS
    try:
        due = DBTaskResult.objects.ready()
        waiting = due.count()
        oldest = due.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    lag = 0.0
    if oldest is not None:
        enqueued_at, run_after = oldest
        since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        lag = max(0.0, (now - since).total_seconds())
    return {"ok": lag <= limit, "waiting": waiting, "lag_seconds": round(lag, 1), "max_lag_seconds": limit}


def _disk_paths() -> dict[str, Path]:
    paths = {"media": Path(settings.MEDIA_ROOT)}
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        paths["database"] = Path(db["NAME"]).parent
    return paths


def check_disk() -> dict:
    minimum = settings.HEALTH_DISK_MIN_FREE_MB * 1024 * 1024
    free = {}
    for name, path in _disk_paths().items():
        probe = path
        while not probe.exists() and probe != probe.parent:  # a media root not created yet
            probe = probe.parent
        free[name] = shutil.disk_usage(probe).free
    lowest = min(free.values())
    return {
        "ok": lowest >= minimum,
        "free_mb": {name: b // (1024 * 1024) for name, b in free.items()},
        "min_free_mb": settings.HEALTH_DISK_MIN_FREE_MB,
    }


def report() -> tuple[bool, dict]:
    checks = {"database": check_database()}
    checks["tasks"] = check_tasks() if checks["database"]["ok"] else {"ok": False, "error": "database"}
    checks["disk"] = check_disk()
    healthy = all(c["ok"] for c in checks.values())
    return healthy, {"status": "ok" if healthy else "fail", "checks": checks}


@never_cache
def healthz(request):
    healthy, body = report()
    return JsonResponse(body, status=200 if healthy else 503)
