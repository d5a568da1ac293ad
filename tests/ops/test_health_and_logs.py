"""/healthz (database, task queue lag, disk) and the structured logs with a request id."""

import io
import json
import logging
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from zhouqiao.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def _waiting_task(age: timedelta):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="zhouqiao.search.tasks.index_document",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - age)
    return task


def test_healthz_answers_ok_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "tasks", "disk"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["disk"]["free_mb"]["media"] > 0
    assert "no-cache" in response["Cache-Control"]


def test_healthz_tolerates_a_task_that_has_just_been_queued(client):
    _waiting_task(timedelta(seconds=5))
    body = client.get("/healthz").json()
    assert body["checks"]["tasks"]["ok"] and body["checks"]["tasks"]["waiting"] == 1


def test_healthz_fails_when_the_task_worker_falls_behind(client, settings):
    settings.HEALTH_TASK_LAG_SECONDS = 300
    _waiting_task(timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    tasks = response.json()["checks"]["tasks"]
    assert not tasks["ok"] and tasks["lag_seconds"] >= 600
    assert response.json()["status"] == "fail"


def test_healthz_fails_when_the_disk_is_nearly_full(client, settings):
    settings.HEALTH_DISK_MIN_FREE_MB = 10**12  # more than any disk has
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["disk"]["ok"]


def test_healthz_fails_when_the_database_is_unreachable(client, monkeypatch):
    from zhouqiao.ops import health

    class Broken:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False, "error": "OperationalError"}
    assert not checks["tasks"]["ok"]


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_request_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c01d3")["X-Request-ID"] == "nginx-4f2a9c01d3"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nforged: line")["X-Request-ID"]
    assert replaced != "bad id\nforged: line" and len(replaced) == 32


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("zhouqiao.request")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_is_logged_as_json_with_its_request_id(client, json_log, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get("/healthz", REMOTE_ADDR="10.3.3.3")
    [entry] = json_log()
    assert entry["request_id"] == response["X-Request-ID"]
    assert (entry["level"], entry["logger"], entry["method"], entry["path"], entry["status"]) == (
        "INFO",
        "zhouqiao.request",
        "GET",
        "/healthz",
        200,
    )
    assert entry["user_id"] == enterprise_user.pk and entry["client_ip"] == "10.3.3.3"
    assert entry["duration_ms"] >= 0 and entry["time"].endswith("+00:00")


def test_an_exception_is_logged_with_its_traceback_in_one_json_line():
    record = logging.LogRecord("zhouqiao.x", logging.ERROR, __file__, 1, "failed: %s", ("import",), None)
    try:
        raise ValueError("bad row")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed: import" and "ValueError: bad row" in entry["exception"]
