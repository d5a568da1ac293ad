"""Personas for 揭榜挂帅: an enterprise in Changchun with a published demand, the city's program
officer, two teams (a university, an institute), two experts with accounts, a stranger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.programs.challenges import services

NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def demand(enterprise, enterprise_user):
    from zhouqiao.catalog.models import Demand
    from zhouqiao.catalog.states import RecordStatus

    return Demand.objects.create(
        owner=enterprise,
        region_id=enterprise.region_id,
        title="车规级碳化硅功率模块散热难题",
        summary="电驱动总成功率模块温升过高，寻求散热方案。",
        problem="功率模块结温过高",
        status=RecordStatus.PUBLISHED,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW,
    )


@pytest.fixture
def officer(reference):
    return staff_in("220100", Duty.PROGRAM_OFFICER, username="program_officer")


@pytest.fixture
def team_a(reference):
    return OrganisationFactory(name="测试理工大学", kind="university", region_id="220105")


@pytest.fixture
def team_a_user(team_a):
    return member_of(team_a, username="team_a")


@pytest.fixture
def team_b(reference):
    return OrganisationFactory(name="辽宁测试研究所", kind="institute", region_id="210102")


@pytest.fixture
def team_b_user(team_b):
    return member_of(team_b, username="team_b")


def make_expert(name, organisation, *, username):
    from zhouqiao.community.models import Expert, ExpertStatus

    user = UserFactory(username=username)
    return Expert.objects.create(
        user=user,
        name=name,
        organisation=organisation,
        title="研究员",
        keywords="碳化硅，功率模块，散热",
        region_id="220104",
        jurisdiction_id="220100",
        status=ExpertStatus.APPROVED,
        created_at=NOW,
        approved_at=NOW,
    )


@pytest.fixture
def expert_org(reference):
    return OrganisationFactory(name="测试专家单位研究院", kind="institute", region_id="220104")


@pytest.fixture
def expert(expert_org):
    return make_expert("张评审", expert_org, username="expert_zhang")


@pytest.fixture
def expert2(expert_org):
    return make_expert("李评审", expert_org, username="expert_li")


def challenge_data(demand, **overrides):
    data = {
        "demand_id": demand.pk if demand else None,
        "title": "碳化硅功率模块散热攻关",
        "summary": "电驱动功率模块结温降低，面向全国揭榜。",
        "investment": "2000000",
        "reward": "800000",
        "deadline": "2026-04-30",
        "completion_date": "2026-12-31",
        "eligibility": "nationwide",
        "indicators": [
            {
                "name": "结温降低",
                "target": "20",
                "unit": "℃",
                "direction": "ge",
                "method": "台架试验，满载1小时",
            },
            {
                "name": "热阻",
                "target": "0.15",
                "unit": "K/W",
                "direction": "le",
                "method": "JESD51 瞬态热阻测试",
            },
        ],
    }
    data.update(overrides)
    return data


def proposal_data(challenge, **overrides):
    ind = {i.name: i.pk for i in challenge.indicators.all()}
    data = {
        "members": "王工（教授）\n赵工（副教授）",
        "technical_route": "采用双面银烧结与微通道液冷基板，优化封装热路径并进行台架验证。",
        "price": "1500000",
        "schedule": "4个月完成样件，8个月完成台架验证。",
        "partner_ids": [],
        "committed": {ind["结温降低"]: "25", ind["热阻"]: "0.12"},
        "milestones": [
            {"title": "样件试制", "deliverable": "散热基板样件10套", "due_on": "2026-08-31"},
            {"title": "台架验证", "deliverable": "台架试验报告", "due_on": "2026-12-15"},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(enterprise_user, enterprise, demand):
    return services.create_challenge(
        actor=enterprise_user, organisation_id=enterprise.pk, data=challenge_data(demand), now=NOW
    )


@pytest.fixture
def published(draft, enterprise_user, officer):
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    return services.review_challenge(
        actor=officer, challenge_id=draft.pk, publish=True, reason="指标明确，可以发布。", now=NOW
    )


@pytest.fixture
def two_proposals(published, team_a, team_a_user, team_b, team_b_user):
    a = services.submit_proposal(
        actor=team_a_user,
        challenge_id=published.pk,
        lead_id=team_a.pk,
        data=proposal_data(published),
        now=NOW,
    )
    b = services.submit_proposal(
        actor=team_b_user,
        challenge_id=published.pk,
        lead_id=team_b.pk,
        data=proposal_data(
            published,
            technical_route="采用相变均温板与氮化铝陶瓷覆铜，降低热阻。",
            price="1200000",
            partner_ids=[team_a.pk],
        ),
        now=NOW,
    )
    return a, b


@pytest.fixture
def in_review(published, two_proposals, officer, expert, expert2):
    services.close_collection(
        actor=officer,
        challenge_id=published.pk,
        reason="两份方案已齐备，发榜单位请求提前评审。",
        confirm=True,
        now=NOW,
    )
    services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=expert.pk, now=NOW)
    services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=expert2.pk, now=NOW)
    published.refresh_from_db()
    return published


@pytest.fixture
def awarded(in_review, two_proposals, expert, expert2, enterprise_user):
    a, b = two_proposals
    for e in (expert, expert2):
        services.score_proposal(actor=e.user, proposal_id=a.pk, score=88, comment="路线可行", now=NOW)
        services.score_proposal(actor=e.user, proposal_id=b.pk, score=75, comment="成本低但风险大", now=NOW)
    services.select_proposal(actor=enterprise_user, proposal_id=a.pk, reason="评分最高，路线成熟", now=NOW)
    in_review.refresh_from_db()
    return in_review


ZERO = Decimal("0")
