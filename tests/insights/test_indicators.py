"""Every indicator against figures counted by hand from the fixture in conftest.py."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.insights.conftest import local
from zhouqiao.insights import indicators as ind

pytestmark = pytest.mark.django_db

D = Decimal


def test_contract_turnover_counts_registered_contracts_by_registration_year_and_subtree(world, years):
    past, this = years
    assert ind.value("contract_turnover", region_code="220000", year=past) == D("3500000.00")
    assert ind.value("contract_turnover", region_code="220100", year=past) == D("3000000.00")
    assert ind.value("contract_turnover", region_code="220183", year=past) == D("1000000.00")
    assert ind.value("contract_turnover", region_code="220000", year=this) == D("300000.00")
    assert ind.series("contract_turnover", region_code="220000", years=range(past - 1, this + 1)) == {
        past - 1: D("0.00"),
        past: D("3500000.00"),
        this: D("300000.00"),
    }


def test_technology_transaction_amount_and_registrations(world, years):
    past, _ = years
    assert ind.value("technology_transaction_amount", region_code="220000", year=past) == D("3200000.00")
    assert ind.value("technology_transaction_amount", region_code="220100", year=past) == D("2800000.00")
    assert ind.value("contracts_registered", region_code="220000", year=past) == 3  # the submitted one is not
    assert ind.value("contracts_registered", region_code="220200", year=past) == 1


def test_by_region_goes_one_level_down(world, years):
    past, _ = years
    assert ind.by_region("contract_turnover", parent_code="220000", year=past) == {
        "220100": D("3000000.00"),
        "220200": D("500000.00"),
    }
    assert ind.by_region("contracts_registered", parent_code="220100", year=past) == {
        "220183": 1,
        "220104": 1,
    }


def test_output_is_by_seller_region_and_absorption_by_buyer_region(world, years):
    past, _ = years
    assert ind.value("technology_output", region_code="220100", year=past) == D("3000000.00")
    # Buyers in Changchun: contract 2 (buyer 德惠) only.
    assert ind.value("technology_absorption", region_code="220100", year=past) == D("2000000.00")
    # The province absorbs contracts 1 and 2; contract 3 went to Beijing.
    assert ind.value("technology_absorption", region_code="220000", year=past) == D("3000000.00")
    assert ind.by_region("technology_absorption", parent_code="220000", year=past) == {
        "220100": D("2000000.00"),
        "220200": D("1000000.00"),
    }


def test_flows_pair_seller_and_buyer_regions(world, years):
    past, _ = years
    rows = {(r["seller_region"], r["buyer_region"]): r for r in ind.flows(region_code="220000", year=past)}
    assert set(rows) == {("220100", "220200"), ("220100", "220100"), ("220200", "110100")}
    assert rows[("220200", "110100")]["contract_amount"] == D("500000.00")
    assert rows[("220100", "220100")]["count"] == 1


def test_breakdown_by_contract_type(world, years):
    past, _ = years
    assert ind.breakdown("contracts_registered", region_code="220000", year=past) == {
        "技术开发": 1,
        "技术转让": 1,
        "技术服务": 1,
    }


def test_entitlements_granted_and_paid_net_of_releases_and_recoveries_by_clause(world, years):
    from zhouqiao.policy.models import Entitlement, LedgerEntry

    past, _ = years

    def entitlement(clause, title, region, amount):
        return Entitlement.objects.create(
            rule_id=f"r{clause}",
            clause=clause,
            title=title,
            beneficiary="seller",
            beneficiary_name="甲",
            payer_region_id=region,
            year=past,
            amount=D(amount),
            created_at=local(past, 1, 5),
            updated_at=local(past, 1, 5),
        )

    e1 = entitlement("001#15", "成果转化奖励", "220100", "100000")
    e2 = entitlement("002#9", "技术转移机构补助", "220200", "40000")
    for e, kind, amount, when in [
        (e1, "grant", "100000", local(past, 1, 5)),
        (e1, "payment", "100000", local(past, 3, 1)),
        (e1, "recovery", "20000", local(past, 9, 1)),
        (e2, "grant", "40000", local(past, 2, 1)),
        (e2, "release", "40000", local(past, 2, 9)),
        (e2, "grant", "30000", local(past + 1, 1, 2)),  # next year
    ]:
        LedgerEntry.objects.create(entitlement=e, kind=kind, amount=D(amount), at=when)
    assert ind.value("entitlements_granted", region_code="220000", year=past) == D("100000.00")
    assert ind.value("entitlements_paid", region_code="220000", year=past) == D("80000.00")
    assert ind.breakdown("entitlements_granted", region_code="220000", year=past) == {
        "成果转化奖励": D("100000.00"),
        "技术转移机构补助": D("0.00"),
    }
    assert ind.value("entitlements_granted", region_code="220200", year=past + 1) == D("30000.00")


def test_every_indicator_has_a_chinese_name_unit_and_source_and_answers_zero_on_no_records(reference, years):
    past, _ = years
    for code, indicator in ind.INDICATORS.items():
        assert indicator.code == code and str(indicator.name) and indicator.unit and str(indicator.source)
        assert ind.value(code, region_code="220183", year=past) == 0


def test_achievements_published_traded_demands_met_and_deals_by_mode(world, years):
    from tests.market.conftest import make_achievement
    from zhouqiao.catalog.models import Demand
    from zhouqiao.market.models import Deal, Listing

    past, this = years
    w = world
    first = make_achievement(w["a"], title="成果一")  # 德惠
    second = make_achievement(w["c"], title="成果二")  # 吉林市
    make_achievement(w["b"], title="成果三（草稿）", status="draft")
    for achievement, when in ((first, local(past, 5, 1)), (second, local(this, 1, 3))):
        Achievement = type(achievement)
        Achievement.objects.filter(pk=achievement.pk).update(published_at=when)
    demand = Demand.objects.create(
        owner=w["b"],
        region_id="220104",
        title="需求一",
        summary="公开摘要",
        problem="问题",
        cooperation_modes=",transfer,",
        status="published",
        created_at=local(past, 1, 1),
        updated_at=local(past, 1, 1),
        published_at=local(past, 1, 2),
    )

    def listing_deal(achievement, seller, buyer, amount, when, demand=None):
        listing = Listing.objects.create(
            achievement=achievement,
            seller=seller,
            region_id=seller.region_id,
            title=achievement.title,
            price=D(amount),
            mode="transfer",
            notice_working_days=10,
            notice_starts_at=when,
            notice_ends_at=when + dt.timedelta(days=14),
            auction_increment=D("1000"),
            auction_deposit=D("0"),
            created_by=w["author"],
            created_at=when,
        )
        return Deal.objects.create(
            source="listing",
            title=achievement.title,
            achievement=achievement,
            demand=demand,
            seller=seller,
            buyer=buyer,
            region_id=seller.region_id,
            amount=D(amount),
            mode="transfer",
            listing=listing,
            agreed_at=when,
        )

    listing_deal(first, w["a"], w["b"], "100000", local(past, 6, 1), demand=demand)
    listing_deal(second, w["c"], w["a"], "250000", local(past, 7, 1))

    assert ind.value("achievements_published", region_code="220000", year=past) == 1  # 成果二 is this year's
    assert ind.value("achievements_published", region_code="220000", year=this) == 1
    assert ind.by_region("achievements_published", parent_code="220000", year=past) == {"220100": 1}
    assert ind.value("achievements_traded", region_code="220000", year=past) == 2
    assert ind.value("achievements_traded", region_code="220183", year=past) == 1
    assert ind.value("demands_met", region_code="220000", year=past) == 1
    assert ind.value("demands_met", region_code="220200", year=past) == 0
    assert ind.value("deals_by_mode", region_code="220000", year=past) == 2
    assert ind.breakdown("deals_by_mode", region_code="220000", year=past) == {"挂牌交易": 2}
    assert ind.value("deal_amount", region_code="220100", year=past) == D("100000.00")
    assert ind.by_region("deal_amount", parent_code="220000", year=past) == {
        "220100": D("100000.00"),
        "220200": D("250000.00"),
    }
