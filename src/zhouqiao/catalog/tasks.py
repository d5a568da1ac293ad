"""Background work (django-tasks; the database backend in production, run by ``db_worker``)."""

from django_tasks import task

from zhouqiao.catalog import importing, services
from zhouqiao.core import clock


@task()
def run_import(job_id: int) -> str:
    """Validate and write one uploaded spreadsheet; progress is kept on the ImportJob row."""
    return importing.run_import_job(job_id, now=clock.now()).status


@task()
def expire_demands() -> int:
    """Expire published demands whose deadline has passed (also ``zhouqiao expire-demands``)."""
    return services.expire_demands(now=clock.now())
