"""Domain errors: every refused business action raises one, with a stable code.

Views show ``message`` (Chinese, through gettext); the API answers ``{"code","message","detail"}``
with ``status``.
"""


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message, *, code: str | None = None, detail=None, status: int | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.detail = detail or {}


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    """The record changed under us, or a lock could not be had in time: try again."""

    code = "conflict"
    status = 409


class InvalidTransition(Conflict):
    code = "invalid_transition"
