from django.core.management.base import BaseCommand
from django.utils import timezone

from zhouqiao.community.institutions import services
from zhouqiao.core import clock


class Command(BaseCommand):
    help = (
        "Tell the admins of filed transfer institutions that the open year's annual report is due "
        "(run daily by cron once reports open; each admin is told once per year). Safe to re-run."
    )

    def handle(self, *args, **options):
        now = clock.now()
        year = services.report_year(timezone.localdate(now))
        count = services.remind_reports_due(year=year, now=now)
        self.stdout.write(f"institutions reminded: {count} (year {year})")
