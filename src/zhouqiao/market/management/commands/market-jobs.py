from django.core.management.base import BaseCommand

from zhouqiao.core import clock
from zhouqiao.market import services


class Command(BaseCommand):
    help = (
        "Conclude listings whose notice period has ended, tell bidders who were outbid and close "
        "auctions whose end has passed (run every minute by cron or the task worker). Safe to "
        "re-run and to run concurrently."
    )

    def handle(self, *args, **options):
        now = clock.now()
        listings = services.conclude_due_listings(now=now)
        outbid = services.tell_outbid_bidders(now=now)
        auctions = services.close_due_auctions(now=now)
        self.stdout.write(
            f"listings concluded: {len(listings)}; outbid bidders told: {outbid}; "
            f"auctions closed: {len(auctions)}"
        )
