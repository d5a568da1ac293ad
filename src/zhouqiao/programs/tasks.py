"""Background work of project calls (django-tasks)."""

from django_tasks import task

from zhouqiao.core import clock


@task()
def assign_reviewers(call_id: int, actor_id: int | None = None) -> dict:
    """Assign reviewers to a call's accepted applications; progress is kept on the Call row."""
    from django.contrib.auth import get_user_model

    from zhouqiao.programs import assignment

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return assignment.run(call_id=call_id, actor=actor, now=clock.now())
