"""The performance score: reproduced by hand from the records it is computed on; staff-entered
points bounded and audited."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import OrganisationFactory, UserFactory, file_institution, member_of
from tests.institutions.conftest import NOW, YEAR, registered_contract
from zhouqiao.community.institutions import services, weights
from zhouqiao.community.institutions.models import (
    AnnualReport,
    Broker,
    BrokerRating,
    InstitutionAssessment,
    InstitutionScore,
    TrainingRecord,
)
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ASSESSMENT = {"rules": "5", "it_tools": "3", "demonstration": "2", "activities": "1.5", "integrity": "4"}


def broker(org, name, issued=dt.date(2020, 1, 1), status="approved"):
    user = member_of(org)
    return Broker.objects.create(
        certificate_status=status,
        user=user,
        organisation=org,
        name=name,
        level="junior",
        certificate_number=f"NO-{name}",
        certificate_issuer="国家技术转移东北中心",
        certificate_date=issued,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.fixture
def records(institution, admin, seller, buyer, buyer_user):
    filing = file_institution(institution)
    filing.staff_count, filing.part_time_experts = 10, 5
    filing.save()
    zhang, li = broker(institution, "张三"), broker(institution, "李四")
    broker(institution, "王五", issued=dt.date(YEAR + 1, 1, 2))  # certified after the year: not counted
    broker(institution, "赵六", status="submitted")  # certificate not checked by the bureau: not counted
    broker(institution, "钱七", status="returned")  # returned: not counted
    TrainingRecord.objects.create(
        broker=zhang,
        year=YEAR,
        course="实务",
        provider="东北中心",
        hours=30,
        recorded_by=admin,
        recorded_at=NOW,
    )
    TrainingRecord.objects.create(
        broker=li, year=YEAR, course="实务", provider="东北中心", hours=50, recorded_by=admin, recorded_at=NOW
    )
    TrainingRecord.objects.create(
        broker=li,
        year=YEAR - 1,
        course="旧",
        provider="东北中心",
        hours=99,
        recorded_by=admin,
        recorded_at=NOW,
    )
    other_buyer = OrganisationFactory(name="长春另一家企业", region_id="220104")
    first = registered_contract(
        seller=seller, buyer=buyer, institution=institution, broker_name="张三", amount="2000000.00"
    )
    registered_contract(seller=seller, buyer=other_buyer, institution=institution, amount="3000000.00")
    # Not this year's, not registered, or not this institution's: none counts.
    registered_contract(
        seller=seller, buyer=buyer, institution=institution, registered_at=NOW - dt.timedelta(days=365)
    )
    registered_contract(seller=seller, buyer=buyer, institution=institution, status="submitted")
    registered_contract(
        seller=seller, buyer=buyer, institution=OrganisationFactory(kind="transfer_institution")
    )
    BrokerRating.objects.create(
        broker=zhang, contract=first, organisation=buyer, rated_by=buyer_user, score=4, created_at=NOW
    )
    AnnualReport.objects.create(
        organisation=institution,
        year=YEAR,
        due_on=dt.date(YEAR + 1, 3, 31),
        status="submitted",
        submitted_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )
    return institution


def test_the_score_is_the_one_reproduced_by_hand_from_its_records(records, statistician):
    score = services.assess(
        actor=statistician, organisation_id=records.pk, year=YEAR, values=ASSESSMENT, note="现场核查", now=NOW
    )
    # 基础条件: staff 4 × 10/20 = 2.00; experts 3 × 5/10 = 1.50; brokers 3 × 2/5 = 1.20           → 4.70
    # 服务绩效: deals 15 × 2/20 = 1.50; amount 15 × 500万/5000万 = 1.50                            → 3.00
    # 服务能力: per 100 staff 2×100/10 = 20 → 10 × 20/100 = 2.00; enterprises 10 × 2/15 = 1.33;
    #           events 0; training (30 + 50)/2 = 40 h → 5.00                                      → 8.33
    # 规范管理: 5 + 3 + 2 + 1.5 + report on time 3                                                 → 14.50
    # 社会信誉: integrity 4 + ratings 5 × 4/5 = 4.00                                               → 8.00
    assert score.pillars == {
        "base": "4.70",
        "results": "3.00",
        "capacity": "8.33",
        "management": "14.50",
        "reputation": "8.00",
    }
    assert score.total == Decimal("38.53")
    values = {i["code"]: i["value"] for i in score.items}
    assert values["deal_amount"] == "5000000.00" and values["deal_count"] == "2.00"
    assert values["training"] == "40.00" and values["report_on_time"] is True
    assert AuditEvent.objects.filter(action="institution.assessed", after__rules="5").exists()


def test_a_late_report_and_no_ratings_earn_nothing(records, statistician):
    AnnualReport.objects.filter(organisation=records).update(submitted_at=NOW.replace(year=YEAR + 1, month=4))
    BrokerRating.objects.all().delete()
    score = services.assess(
        actor=statistician, organisation_id=records.pk, year=YEAR, values=ASSESSMENT, note="", now=NOW
    )
    assert score.total == Decimal("38.53") - 3 - 4


@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        ("rules", "6.01", "“章程、内部管理和客户管理制度”的得分应在0至6分之间。"),
        ("integrity", "-1", "“诚信状况”的得分应在0至5分之间。"),
        ("activities", "abc", "“参与行业活动”请填写分数。"),
        ("it_tools", "1.234", "“信息化工具和专业数据库”请填写分数。"),
    ],
)
def test_a_score_outside_its_range_is_refused_and_nothing_is_written(
    records, statistician, item, value, message
):
    with pytest.raises(ValidationFailed) as refused:
        services.assess(
            actor=statistician,
            organisation_id=records.pk,
            year=YEAR,
            values={**ASSESSMENT, item: value},
            note="",
            now=NOW,
        )
    assert refused.value.detail[item] == [message]
    assert not InstitutionAssessment.objects.exists() and not InstitutionScore.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="institution.").exists()


def test_only_staff_covering_the_institution_may_score_it(records, jilin_reviewer, admin):
    for actor in (jilin_reviewer, admin, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.compute_score(actor=actor, organisation_id=records.pk, year=YEAR, now=NOW)
    assert not InstitutionScore.objects.exists()


def test_the_weights_are_the_provincial_pillars():
    assert [(p.label, p.points) for p in weights.PILLARS] == [
        ("基础条件", 10),
        ("服务绩效", 30),
        ("服务能力", 30),
        ("规范管理", 20),
        ("社会信誉", 10),
    ]


def test_the_events_an_institution_held_in_the_year_are_counted(institution, admin):
    from zhouqiao.community.events.models import Event
    from zhouqiao.community.institutions.scoring import events_held

    def event(starts_at, status="published", organiser=institution):
        Event.objects.create(
            title="成果对接会",
            kind="matchmaking",
            agenda="对接",
            place="长春",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=3),
            capacity=50,
            audience="企业",
            registration_deadline=starts_at - dt.timedelta(days=1),
            region_id=organiser.region_id,
            organiser_org=organiser,
            organiser_name=organiser.name,
            status=status,
            created_by=admin,
            created_at=NOW,
        )

    event(NOW - dt.timedelta(days=30))
    event(NOW - dt.timedelta(days=60))
    event(NOW - dt.timedelta(days=20), status="cancelled")  # not held
    event(NOW - dt.timedelta(days=400))  # the year before
    event(NOW - dt.timedelta(days=10), organiser=OrganisationFactory(kind="transfer_institution"))
    assert events_held(institution, YEAR) == 2
