from django.core.management.base import BaseCommand

from zhouqiao.core import clock
from zhouqiao.programs import todos


class Command(BaseCommand):
    help = (
        "Tell the program officers of each project call whose notice period (公示期) has ended that "
        "正式立项 is next (or which objections wait first). Scheduled daily (deploy/run-job daily); "
        "each officer is told once a call, so re-running tells nobody twice."
    )

    def handle(self, *args, **options):
        count = todos.tell_notice_ended(now=clock.now())
        self.stdout.write(f"calls whose notice period ended: {count} people newly told")
