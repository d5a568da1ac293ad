"""Completed years' contract figures are kept in the cache (the aggregation's own rows); the
running year is computed anew, and reversing a registration is seen at once."""

from decimal import Decimal

import pytest

from tests.factories import staff_in
from tests.insights.conftest import local
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services
from zhouqiao.contracts.models import Contract
from zhouqiao.insights import indicators as ind

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_completed_year_is_kept_until_a_registration_is_reversed(world, years):
    past, this = years
    assert ind.value("contract_turnover", region_code="220000", year=past) == D("3500000.00")
    assert ind.series("contract_turnover", region_code="220000", years=range(past, this + 1)) == {
        past: D("3500000.00"),
        this: D("300000.00"),
    }
    assert ind.by_region("contract_turnover", parent_code="220000", year=past)["220100"] == D("3000000.00")
    assert ind.quarters(region_code="220183", years=range(past, past + 1))[1]["count"] == 1  # Q2
    # Rows written behind the services' back (no registration can be edited): the completed year
    # answers from the cache, the running year is aggregated anew.
    Contract.objects.filter(title="合同2").update(contract_amount=D("2500000"))
    Contract.objects.filter(title="合同4").update(contract_amount=D("400000"))
    assert ind.series("contract_turnover", region_code="220000", years=range(past, this + 1)) == {
        past: D("3500000.00"),
        this: D("400000.00"),
    }
    assert ind.by_region("contract_turnover", parent_code="220000", year=past)["220100"] == D("3000000.00")

    # A registrar reverses contract 1 (德惠, 1,000,000 last year): every figure of that year is fresh.
    one = Contract.objects.get(title="合同1")
    services.transition_contract(
        actor=staff_in("220183", Duty.REGISTRAR),
        contract_id=one.pk,
        to_status="reversed",
        reason="重复登记",
        now=local(this, 1, 5),
    )
    assert ind.value("contract_turnover", region_code="220000", year=past) == D("3000000.00")  # 2.5M + 0.5M
    assert ind.by_region("contract_turnover", parent_code="220000", year=past) == {
        "220100": D("2500000.00"),
        "220200": D("500000.00"),
    }
    assert ind.quarters(region_code="220183", years=range(past, past + 1))[1]["count"] == 0  # Q2
