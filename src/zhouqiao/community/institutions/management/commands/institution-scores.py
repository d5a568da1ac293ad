from django.core.management.base import BaseCommand
from django.utils import timezone

from zhouqiao.community.institutions import services
from zhouqiao.core import clock


class Command(BaseCommand):
    help = (
        "Recompute the open report year's performance score of every filed transfer institution "
        "from the records as they are now. Scheduled daily (deploy/run-job daily); a score that "
        "has not changed is not rewritten, so re-running writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the year to score (default: the open report year)")

    def handle(self, *args, **options):
        now = clock.now()
        year = options.get("year") or services.report_year(timezone.localdate(now))
        if not 1980 <= year <= timezone.localdate(now).year:
            self.stderr.write(f"year {year} is outside 1980–{timezone.localdate(now).year}")
            raise SystemExit(2)
        changed = services.refresh_scores(year=year, now=now)
        self.stdout.write(f"institution scores {year}: {changed} computed or changed")
