"""``zhouqiao vouchers reconcile`` proves the ledger invariants; ``zhouqiao vouchers expire`` returns
the unspent amount of vouchers past their date to their pools; ``zhouqiao vouchers remind`` tells
holders about vouchers expiring within ``VOUCHER_EXPIRY_NOTICE_DAYS`` days (30), once per voucher.
Run expire and remind daily; both are idempotent."""

from django.core.management.base import BaseCommand, CommandError

from zhouqiao.core import clock
from zhouqiao.vouchers import ledger, services, todos


class Command(BaseCommand):
    help = "Innovation voucher ledger: reconcile | expire | remind"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reconcile", "expire", "remind"])
        parser.add_argument("--days", type=int, default=None, help="remind: days before expiry (default 30)")

    def handle(self, *args, action, days=None, **options):
        if action == "expire":
            count = services.expire_due_vouchers(now=clock.now())
            self.stdout.write(f"expired {count} voucher(s)")
            return
        if action == "remind":
            days = todos.expiry_notice_days() if days is None else days
            told = todos.remind_expiring(days=days, now=clock.now())
            self.stdout.write(f"told {told} holder(s) about vouchers expiring within {days} days")
            return
        report = ledger.reconcile()
        for name, count in report.checked.items():
            self.stdout.write(f"checked {name}: {count}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} ledger invariant(s) broken")
        self.stdout.write(self.style.SUCCESS("ledger reconciled: every invariant holds"))
