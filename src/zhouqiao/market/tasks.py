"""Scheduled market work (django-tasks; enqueue from cron or a periodic worker, every minute).
The jobs are idempotent: running them twice, or in two workers at once, changes nothing more."""

from django_tasks import task

from zhouqiao.core import clock
from zhouqiao.market import services


@task()
def conclude_listings() -> int:
    """End notice periods (also ``zhouqiao market-jobs``)."""
    return len(services.conclude_due_listings(now=clock.now()))


@task()
def close_auctions() -> int:
    """Close auctions whose end has passed (also ``zhouqiao market-jobs``)."""
    return len(services.close_due_auctions(now=clock.now()))


@task()
def tell_outbid() -> int:
    """Tell the bidders displaced since the last run (also ``zhouqiao market-jobs``)."""
    return services.tell_outbid_bidders(now=clock.now())
