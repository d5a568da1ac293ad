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
    assert create_demo_data(now=now) == {"contracts": 5}
    assert Contract.objects.registered().count() == 4
    # and the 德惠 enterprise's application waits for the 德惠市 registrar
    waiting = Contract.objects.get(status="submitted")
    assert waiting.region_id == "220183" and waiting.seller.name == "德惠市禾丰农产品深加工有限公司"
    assert Entitlement.objects.exists()
    assert create_demo_data(now=now) == {"contracts": 0}
