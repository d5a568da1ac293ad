import pytest

from zhouqiao.accounts.demo import create_demo_accounts
from zhouqiao.contracts.demo import create_demo_data
from zhouqiao.contracts.models import Contract
from zhouqiao.core import clock
from zhouqiao.policy.models import Entitlement


@pytest.mark.django_db
def test_demo_contracts_are_registered_with_entitlements_and_idempotent():
    now = clock.now()
    create_demo_accounts(now=now)
    assert create_demo_data(now=now) == {"contracts": 4}
    assert Contract.objects.registered().count() == 4
    assert Entitlement.objects.exists()
    assert create_demo_data(now=now) == {"contracts": 0}
