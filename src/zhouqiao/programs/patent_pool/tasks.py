"""Background work (django-tasks; the database backend in production, run by ``db_worker``)."""

from django_tasks import task

from zhouqiao.core import clock
from zhouqiao.programs.patent_pool import services


@task()
def check_patents() -> dict:
    """The daily idle check and fee reminders (also ``zhouqiao patent-pool check``)."""
    return services.check_patents(now=clock.now())
