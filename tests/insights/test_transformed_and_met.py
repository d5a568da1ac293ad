"""成果转化数 and 对接成功技术需求数 against figures counted by hand (see the indicators'
descriptions for the definitions)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.insights.conftest import local
from tests.market.conftest import make_achievement
from zhouqiao.catalog.models import Demand
from zhouqiao.contracts.models import Contract
from zhouqiao.insights import indicators as ind
from zhouqiao.market.models import Deal, Listing

pytestmark = pytest.mark.django_db


def deal(w, achievement, seller, buyer, when, demand=None):
    listing = Listing.objects.create(
        achievement=achievement,
        seller=seller,
        region_id=seller.region_id,
        title=achievement.title,
        price=Decimal("100000"),
        mode="transfer",
        status="sold",
        notice_working_days=10,
        notice_starts_at=when,
        notice_ends_at=when + dt.timedelta(days=14),
        auction_increment=Decimal("1000"),
        auction_deposit=Decimal("0"),
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
        amount=Decimal("100000"),
        mode="transfer",
        listing=listing,
        agreed_at=when,
    )


def contract_from(w, d, kind, when, n):
    return Contract.objects.create(
        title=f"由成交订立的合同{n}",
        contract_type=kind,
        subtype={"transfer": "patent_transfer", "licence": "patent_licence"}.get(kind, "service"),
        seller=d.seller,
        buyer=d.buyer,
        region_id=d.seller.region_id,
        contract_amount=Decimal("100000"),
        technology_amount=Decimal("100000"),
        signed_on=when.date(),
        status="registered",
        registration_number=f"D{n}",
        registered_at=when,
        source_deal_id=d.pk,
        created_by=w["author"],
        created_at=when,
    )


def test_achievements_transformed_by_deal_or_transforming_contract_once_per_year(world, years):
    past, this = years
    w = world
    a1 = make_achievement(w["a"], title="成果一")  # 德惠 220183
    a2 = make_achievement(w["c"], title="成果二")  # 吉林市昌邑 220202
    a3 = make_achievement(w["b"], title="成果三")  # 长春朝阳 220104
    # 成果一: two deals and a transfer contract from the first, all in the previous year → once.
    d1 = deal(w, a1, w["a"], w["b"], local(past, 3, 1))
    deal(w, a1, w["a"], w["c"], local(past, 9, 1))
    contract_from(w, d1, "transfer", local(past, 4, 1), 1)
    # 成果二: dealt on 31 December 23:30 (Shanghai), its licence contract registered in January →
    # once in each year.
    d3 = deal(w, a2, w["c"], w["a"], local(past, 12, 31, 23, 30))
    contract_from(w, d3, "licence", local(this, 1, 2), 3)
    # 成果三: dealt in the previous year; a service contract from it registered this year does
    # not transform anything.
    d4 = deal(w, a3, w["b"], w["a"], local(past, 6, 1))
    contract_from(w, d4, "service", local(this, 2, 1), 4)

    assert ind.value("achievements_transformed", region_code="220000", year=past) == 3
    assert ind.value("achievements_transformed", region_code="220100", year=past) == 2
    assert ind.value("achievements_transformed", region_code="220183", year=past) == 1
    assert ind.by_region("achievements_transformed", parent_code="220000", year=past) == {
        "220100": 2,
        "220200": 1,
    }
    assert ind.value("achievements_transformed", region_code="220000", year=this) == 1
    assert ind.value("achievements_transformed", region_code="220100", year=this) == 0
    assert ind.series("achievements_transformed", region_code="220200", years=range(past, this + 1)) == {
        past: 1,
        this: 1,
    }
    assert "成果转化数" in str(ind.INDICATORS["achievements_transformed"].name)


def test_demands_met_count_solved_closes_and_deals_once(world, years):
    past, this = years
    w = world

    def demand(owner, title, *, closed_at=None, reason=""):
        return Demand.objects.create(
            owner=owner,
            region_id=owner.region_id,
            title=title,
            summary="公开摘要",
            problem="问题",
            cooperation_modes=",transfer,",
            status="closed" if closed_at else "published",
            created_at=local(past - 1, 1, 1),
            updated_at=local(past - 1, 1, 1),
            published_at=local(past - 1, 1, 2),
            closed_at=closed_at,
            close_reason=reason,
        )

    offer = make_achievement(w["c"], title="对接用成果")
    m1 = demand(w["b"], "需求一", closed_at=local(past, 7, 1), reason="platform_deal")  # 朝阳
    deal(w, offer, w["c"], w["b"], local(past, 6, 1), demand=m1)  # deal and close: once
    demand(w["c"], "需求二", closed_at=local(past, 8, 1), reason="solved_elsewhere")  # 昌邑, no deal
    demand(w["a"], "需求三", closed_at=local(past, 5, 1), reason="not_needed")  # 德惠: not met
    demand(w["a"], "需求四", closed_at=local(this, 1, 10), reason="contract")  # 德惠, this year
    m5 = demand(w["b"], "需求五", closed_at=local(this, 1, 3), reason="platform_deal")  # 朝阳
    deal(w, offer, w["c"], w["b"], local(past, 12, 31, 23, 30), demand=m5)  # the earlier: last year
    demand(w["a"], "需求六")  # open, no deal

    assert ind.value("demands_met", region_code="220000", year=past) == 3  # 一, 二, 五
    assert ind.by_region("demands_met", parent_code="220000", year=past) == {"220100": 2, "220200": 1}
    assert ind.value("demands_met", region_code="220183", year=past) == 0
    assert ind.value("demands_met", region_code="220000", year=this) == 1  # 四 (五 counted last year)
    assert ind.value("demands_met", region_code="220183", year=this) == 1
