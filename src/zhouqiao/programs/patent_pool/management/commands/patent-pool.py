import json

from django.core.management.base import BaseCommand

from zhouqiao.core import clock
from zhouqiao.programs.patent_pool import services


class Command(BaseCommand):
    help = (
        "Patent pool daily check (run daily by cron): track the platform's granted invention patents, "
        "flag those idle ZHOUQIAO_PATENT_IDLE_YEARS after grant, remind officers of annual fees due. "
        "Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])

    def handle(self, *args, **options):
        counts = services.check_patents(now=clock.now())
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
