"""Background work (django-tasks; the database backend in production, run by ``db_worker``)."""

from django_tasks import task

from zhouqiao.core import clock
from zhouqiao.insights.reports import generation


@task()
def generate_version(version_id: int) -> str:
    """Generate one annual-report version (PDF and workbook); progress is kept on its row."""
    return generation.run(version_id, now=clock.now())
