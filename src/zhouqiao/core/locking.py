"""Row locks with a timeout: a lock that cannot be had in time becomes a 409 "busy, try again".

PostgreSQL waits at most ``lock_timeout`` (settings: 5 s); SQLite takes the database write lock at
BEGIN IMMEDIATE, so ``select_for_update`` is a no-op there and the busy timeout applies instead.
"""

from django.db import DatabaseError, OperationalError
from django.utils.translation import gettext as _

from zhouqiao.core.errors import Conflict, NotFound


def lock(queryset, pk):
    """Lock one row and return it re-read, inside the caller's transaction."""
    try:
        return queryset.select_for_update().get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise NotFound(_("记录不存在或已被删除。")) from exc
    except OperationalError as exc:
        raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from exc
    except DatabaseError as exc:
        if "lock" in str(exc).lower():
            raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from exc
        raise
