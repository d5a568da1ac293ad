import pytest
from django.core.management import call_command
from django.utils import timezone

from zhouqiao.accounts.demo import create_demo_accounts
from zhouqiao.facilities.demo import create_demo_data as facilities_demo
from zhouqiao.facilities.models import Instrument
from zhouqiao.vouchers import ledger
from zhouqiao.vouchers.demo import create_demo_data as vouchers_demo
from zhouqiao.vouchers.models import Pool, Voucher

pytestmark = pytest.mark.django_db


def test_the_demo_data_loads_twice_and_reconciles(reference):
    now = timezone.now()
    create_demo_accounts(now=now)
    first = vouchers_demo(now=now) | facilities_demo(now=now)
    second = vouchers_demo(now=now) | facilities_demo(now=now)
    assert first == second
    pool = Pool.objects.get(jurisdiction_id="220100", year=timezone.localdate(now).year)
    assert pool.available == 30_000_000 - 80_000
    assert Voucher.objects.count() == 2
    assert {i.owner.name for i in Instrument.objects.all()} == {
        "中国科学院长春光学精密机械与物理研究所",
        "吉林大学",
        "中国科学院长春应用化学研究所",
    }
    assert ledger.reconcile().ok
    call_command("vouchers", "reconcile")
