"""Market work outside the request (django-tasks): the scheduled jobs (enqueue from cron or a
periodic worker, every minute) and the outbid notice. All are idempotent: running them twice, or
in two workers at once, changes nothing more."""

from django_tasks import task

from zhouqiao.core import clock
from zhouqiao.market import services, todos


@task()
def conclude_listings() -> int:
    """End notice periods (also ``zhouqiao market-jobs``)."""
    return len(services.conclude_due_listings(now=clock.now()))


@task()
def close_auctions() -> int:
    """Close auctions whose end has passed (also ``zhouqiao market-jobs``)."""
    return len(services.close_due_auctions(now=clock.now()))


@task()
def tell_outbid(auction_id: int, seq: int) -> int:
    """Tell the bidder displaced by the bid numbered ``seq`` (enqueued by ``place_bid`` after the
    bid commits; idempotent: the notification's key is the bid)."""
    return todos.outbid(auction_id=auction_id, seq=seq)
