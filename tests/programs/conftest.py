"""Factories for project calls: a call in Changchun, a program officer, experts, applications."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.community.models import Expert, ExpertStatus
from zhouqiao.programs import services
from zhouqiao.programs.models import Call
from zhouqiao.programs.states import Aggregation, CallStatus

RUBRIC = [
    {"name": "创新性", "weight": 40, "max_score": 10},
    {"name": "可行性", "weight": 35, "max_score": 10},
    {"name": "预算合理性", "weight": 25, "max_score": 10},
]


def call_fields(**overrides) -> dict:
    now = timezone.now()
    fields = {
        "title": "2027年度长春市重点研发项目",
        "guide": "支持汽车电子、新材料等方向的关键技术攻关。",
        "categories": ["汽车电子", "新材料"],
        "budget": Decimal("3000000"),
        "region_prefix": "2201",
        "organisation_kinds": [],
        "require_rd_reported": False,
        "opens_at": now - dt.timedelta(days=10),
        "closes_at": now + dt.timedelta(days=10),
        "project_start": dt.date(2027, 1, 1),
        "project_end": dt.date(2028, 12, 31),
        "rubric": RUBRIC,
        "blind": True,
        "reviewers_per_application": 2,
        "load_cap": 2,
        "aggregation": Aggregation.TRIMMED,
        "divergence_threshold": Decimal("20"),
        "objection_days": 5,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def officer(reference):
    return staff_in("220100", Duty.PROGRAM_OFFICER, username="officer")


@pytest.fixture
def call(officer):
    call = services.create_call(actor=officer, now=timezone.now(), jurisdiction_id="220100", **call_fields())
    return services.publish_call(actor=officer, now=timezone.now(), call_id=call.pk)


def make_expert(name, organisation=None, *, user=True, keywords="汽车电子 控制器", **kw) -> Expert:
    organisation = organisation or OrganisationFactory(kind="university", region_id="220102")
    account = UserFactory(username=f"expert_{name}") if user else None
    return Expert.objects.create(
        name=name,
        organisation=organisation,
        keywords=keywords,
        profile=kw.pop("profile", ""),
        region_id="220102",
        jurisdiction_id="220100",
        status=ExpertStatus.APPROVED,
        created_at=timezone.now(),
        user=account,
        **kw,
    )


def application_input(**overrides) -> services.ApplicationInput:
    data = {
        "title": "车规级域控制器功能安全关键技术研究",
        "summary": "面向智能网联汽车的车规级域控制器，研究功能安全架构与软件在环验证方法。",
        "plan": "第一年完成架构设计与原型，第二年完成整车验证。",
        "requested_amount": Decimal("500000"),
        "project_start": dt.date(2027, 1, 1),
        "project_end": dt.date(2028, 6, 30),
        "category": "汽车电子",
        "keywords": "域控制器、功能安全",
        "partners": [],
        "team": [("张工", "高级工程师", "负责人")],
        "milestones": [("完成原型", dt.date(2027, 12, 31)), ("整车验证", dt.date(2028, 6, 30))],
        "budget_lines": [("设备费", Decimal("200000")), ("材料费", Decimal("300000"))],
    }
    data.update(overrides)
    return services.ApplicationInput(**data)


@pytest.fixture
def applicant_org(reference):
    return OrganisationFactory(name="长春测试汽车电子有限公司", kind="enterprise", region_id="220104")


@pytest.fixture
def applicant(applicant_org):
    return member_of(applicant_org, username="applicant")


def submitted(call, applicant, organisation, **overrides):
    now = timezone.now()
    app = services.save_application(
        actor=applicant,
        now=now,
        call_id=call.pk,
        lead_id=organisation.pk,
        data=application_input(**overrides),
    )
    return services.submit_application(actor=applicant, now=now, application_id=app.pk)


def reviewed(call, *applications, score="8"):
    """Give each application one reviewer (with an account) who submits a review: the funding
    decision is taken on complete reviews only."""
    from zhouqiao.programs.models import ReviewAssignment

    now = timezone.now()
    for application in applications:
        expert = make_expert(f"评审{application.pk}")
        row = ReviewAssignment.objects.create(
            call=call, application=application, expert=expert, assigned_at=now
        )
        services.submit_review(
            actor=expert.user,
            now=now,
            assignment_id=row.pk,
            scores=[score] * len(call.rubric),
            comment="技术路线可行。",
        )


def to_review(call, officer):
    """Close the call (move its deadline into the past) and open the review."""
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    return services.start_review(actor=officer, now=timezone.now(), call_id=call.pk)


__all__ = ["CallStatus"]
