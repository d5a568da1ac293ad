"""Index upkeep after commit (django-tasks; the database backend in production, run by
``db_worker``). Each task is idempotent: running it twice leaves the same index and, thanks to the
one-notification-per-match constraint, the same notifications."""

from django_tasks import task

from zhouqiao.core import clock
from zhouqiao.search import indexing
from zhouqiao.search.models import DocumentKind


@task()
def sync_record(kind: str, pk: int, announce: bool = False) -> bool:
    """Write the public view of one record to the index, or remove it; True if it is indexed. For
    an organisation, its records' documents follow a change of its name."""
    now = clock.now()
    indexed = indexing.index_record(kind, pk, now=now, announce=announce) is not None
    if kind == DocumentKind.ORGANISATION:
        indexing.refresh_owned(pk, now=now)  # its records show its name; its instruments its status
    return indexed


@task()
def reindex_containing(words: list[str]) -> int:
    """Re-segment the documents whose text holds any of ``words`` (after a synonym change)."""
    return indexing.reindex_containing(words, now=clock.now())
