"""The 回避 rules, one by one: each with a case that must be refused and one that must pass."""

import datetime as dt

import pytest
from django.test import override_settings

from tests.community.helpers import NOW, make_expert
from tests.factories import OrganisationFactory, UserFactory
from zhouqiao.community import conflicts
from zhouqiao.community.conflicts import ConflictIndex, Party, collaboration_source
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.states import ContractStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(reference):
    return {
        "uni": OrganisationFactory(name="吉林测试大学", kind="university", region_id="220102"),
        "firm": OrganisationFactory(name="长春测试汽车有限公司", region_id="220104"),
        "other": OrganisationFactory(name="吉林市测试化工有限公司", region_id="220204"),
    }


def contract(seller, buyer, *, signed_on, status=ContractStatus.REGISTERED):
    return Contract.objects.create(
        title="测试技术开发合同",
        contract_type="development",
        subtype="commissioned_development",
        seller=seller,
        buyer=buyer,
        region_id=seller.region_id,
        contract_amount=100000,
        technology_amount=100000,
        signed_on=signed_on,
        status=status,
        created_by=UserFactory(),
        created_at=NOW,
    )


def reason(expert, party):
    return ConflictIndex.build([expert], now=NOW).reason(expert.pk, party)


def test_it_refuses_the_experts_own_organisation(orgs):
    expert = make_expert(orgs["uni"])
    assert reason(expert, Party.of([orgs["firm"].pk, orgs["uni"].pk])) == "本人所在单位为申报单位"
    assert reason(expert, Party.of([orgs["firm"].pk])) is None


def test_it_refuses_a_declared_organisation(orgs):
    expert = make_expert(orgs["uni"], conflicts=[orgs["firm"]])
    assert reason(expert, Party.of([orgs["firm"].pk])) == "申报单位为本人申报的回避单位"
    assert reason(expert, Party.of([orgs["other"].pk])) is None


def test_it_refuses_a_declared_person_in_the_team(orgs):
    expert = make_expert(orgs["uni"], conflicts=["李 华"])
    # Full-width and spaced spellings of the same name are the same person.
    team = Party.of([orgs["firm"].pk], people=["王强", "李华"])
    assert reason(expert, team) == "申报团队成员为本人申报的回避人员"
    assert reason(expert, Party.of([orgs["firm"].pk], people=["王强", "李娜"])) is None


def test_it_refuses_a_recent_technology_contract_partner(orgs):
    expert = make_expert(orgs["uni"])
    contract(orgs["uni"], orgs["firm"], signed_on=dt.date(2024, 12, 8))
    contract(orgs["other"], orgs["uni"], signed_on=dt.date(2023, 12, 6))  # 3 years + 1 day ago
    assert reason(expert, Party.of([orgs["firm"].pk])) == "近3年与申报单位有合作（技术合同）"
    assert reason(expert, Party.of([orgs["other"].pk])) is None


def test_a_draft_contract_is_no_collaboration(orgs):
    expert = make_expert(orgs["uni"])
    contract(orgs["uni"], orgs["firm"], signed_on=dt.date(2026, 1, 5), status=ContractStatus.DRAFT)
    assert reason(expert, Party.of([orgs["firm"].pk])) is None
    contract(orgs["firm"], orgs["uni"], signed_on=dt.date(2026, 1, 5), status=ContractStatus.REFUSED)
    assert reason(expert, Party.of([orgs["firm"].pk])) == "近3年与申报单位有合作（技术合同）"


def test_the_window_is_a_setting(orgs):
    expert = make_expert(orgs["uni"])
    contract(orgs["uni"], orgs["other"], signed_on=dt.date(2022, 6, 1))
    assert reason(expert, Party.of([orgs["other"].pk])) is None
    with override_settings(ZHOUQIAO_CONFLICT_YEARS=5):
        assert reason(expert, Party.of([orgs["other"].pk])) == "近5年与申报单位有合作（技术合同）"


def test_it_refuses_a_recent_market_deal_partner(orgs, reference):
    from tests.catalog.conftest import demand_data
    from tests.factories import member_of
    from zhouqiao.catalog import services as catalog
    from zhouqiao.market.models import Deal, Negotiation

    user = member_of(orgs["firm"])
    demand = catalog.create_demand(actor=user, owner_id=orgs["firm"].pk, data=demand_data(), now=NOW)
    negotiation = Negotiation.objects.create(
        demand=demand,
        seller=orgs["uni"],
        buyer=orgs["firm"],
        initiator=orgs["firm"],
        region_id="220104",
        title="洽谈",
        status="agreed",
        created_by=user,
        created_at=NOW,
        updated_at=NOW,
    )
    expert = make_expert(orgs["uni"])
    assert reason(expert, Party.of([orgs["firm"].pk])) is None
    Deal.objects.create(
        source="negotiation",
        title="成交",
        demand=demand,
        seller=orgs["uni"],
        buyer=orgs["firm"],
        region_id="220104",
        amount=50000,
        mode="licence",
        negotiation=negotiation,
        agreed_at=NOW - dt.timedelta(days=30),
    )
    assert reason(expert, Party.of([orgs["firm"].pk])) == "近3年与申报单位有合作（技术交易）"


def test_registered_sources_count_and_stay_out_of_the_window(orgs, monkeypatch):
    monkeypatch.setattr(conflicts, "_sources", dict(conflicts._sources))
    seen = {}

    @collaboration_source(label="联合申报")
    def joint_applications(organisation_ids, since):
        seen["since"] = since
        seen["ids"] = organisation_ids
        return [(orgs["other"].pk, orgs["uni"].pk)]

    expert = make_expert(orgs["uni"])
    assert reason(expert, Party.of([orgs["other"].pk])) == "近3年与申报单位有合作（联合申报）"
    assert seen["since"] == NOW.replace(year=2023)
    assert seen["ids"] == {orgs["uni"].pk}
    assert reason(expert, Party.of([orgs["firm"].pk])) is None


def test_build_takes_few_queries(orgs, django_assert_max_num_queries):
    experts = [make_expert(OrganisationFactory(kind="university"), name=f"专家{i}") for i in range(30)]
    from zhouqiao.community.models import Expert

    with django_assert_max_num_queries(2 + len(conflicts.sources())):
        index = ConflictIndex.build(Expert.objects.filter(pk__in=[e.pk for e in experts]), now=NOW)
    party = Party.of([orgs["firm"].pk])
    assert all(index.reason(e.pk, party) is None for e in experts)
    assert index.reason(experts[3].pk, Party.of([experts[3].organisation_id])) == "本人所在单位为申报单位"
