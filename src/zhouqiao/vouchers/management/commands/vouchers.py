"""``zhouqiao vouchers reconcile`` proves the ledger invariants; ``zhouqiao vouchers expire`` returns
the unspent amount of vouchers past their date to their pools (run it daily)."""

from django.core.management.base import BaseCommand, CommandError

from zhouqiao.core import clock
from zhouqiao.vouchers import ledger, services


class Command(BaseCommand):
    help = "Innovation voucher ledger: reconcile | expire"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reconcile", "expire"])

    def handle(self, *args, action, **options):
        if action == "expire":
            count = services.expire_due_vouchers(now=clock.now())
            self.stdout.write(f"expired {count} voucher(s)")
            return
        report = ledger.reconcile()
        for name, count in report.checked.items():
            self.stdout.write(f"checked {name}: {count}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} ledger invariant(s) broken")
        self.stdout.write(self.style.SUCCESS("ledger reconciled: every invariant holds"))
