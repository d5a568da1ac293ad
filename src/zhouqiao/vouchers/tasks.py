"""Daily voucher work (django-tasks; enqueue from cron or a periodic worker). Both idempotent."""

from django_tasks import task

from zhouqiao.core import clock
from zhouqiao.vouchers import services, todos


@task()
def expire_vouchers() -> int:
    """Expire vouchers past their date (also ``zhouqiao vouchers expire``)."""
    return services.expire_due_vouchers(now=clock.now())


@task()
def remind_expiring_vouchers() -> int:
    """Tell holders about vouchers expiring within the notice period (also ``zhouqiao vouchers remind``)."""
    return todos.remind_expiring(days=todos.expiry_notice_days(), now=clock.now())
