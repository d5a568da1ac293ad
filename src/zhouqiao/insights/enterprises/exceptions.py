from zhouqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

__all__ = ["Conflict", "NotFound", "PermissionDenied", "ValidationFailed"]
