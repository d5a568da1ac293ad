from django.core.management.base import BaseCommand
from django.utils import timezone

from zhouqiao.community.institutions import services
from zhouqiao.core import clock


class Command(BaseCommand):
    help = (
        "Tell the admins of filed transfer institutions without a submitted report that the open "
        "year's annual report is due. Scheduled daily (deploy/run-job daily); each admin is told "
        "once a year, so re-running tells nobody twice."
    )

    def handle(self, *args, **options):
        now = clock.now()
        year = services.report_year(timezone.localdate(now))
        count = services.remind_reports_due(year=year, now=now)
        self.stdout.write(f"annual report {year}: {count} people newly reminded")
