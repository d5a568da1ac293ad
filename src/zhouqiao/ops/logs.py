"""Structured logs: one JSON object a line, each with the request id of the request it belongs to.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes the id nginx sends in ``X-Request-ID``
(``proxy_set_header X-Request-ID $request_id``) or makes one, answers it in the response's
``X-Request-ID`` header and keeps it for the request, so every log record written while the request
runs carries it (``RequestIdFilter``); it also writes one ``zhouqiao.request`` line per request
(method, path, status, duration, user id, client address). ``JsonFormatter`` renders a record as
JSON with its ``extra`` fields. Standard library only.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from zhouqiao.core.middleware import client_ip

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

request_logger = logging.getLogger("zhouqiao.request")

# Attributes every LogRecord has: whatever else a record carries came in through ``extra``.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _ACCEPTED_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if request_logger.isEnabledFor(logging.INFO):  # reading the user may cost a query
                self._log(request, response, started)
            return response
        finally:
            _request_id.reset(token)

    @staticmethod
    def _log(request, response, started) -> None:
        user = getattr(request, "user", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "client_ip": client_ip(request),
            },
        )


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def _plain(value):
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = _plain(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
