from django.core.management.base import BaseCommand

from zhouqiao.catalog import services
from zhouqiao.core import clock


class Command(BaseCommand):
    help = "Expire published demands whose deadline has passed (run daily by cron). Safe to re-run."

    def handle(self, *args, **options):
        count = services.expire_demands(now=clock.now())
        self.stdout.write(f"expired demands: {count}")
