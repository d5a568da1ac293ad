"""A Jilin City project: undertaker (enterprise in 220204), its member, the city's program officer,
finance staff, three conflict-free experts with accounts, and a stranger."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.community.helpers import make_expert
from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.programs.projects import services

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)
START = dt.date(2026, 1, 1)
END = dt.date(2027, 12, 31)


@pytest.fixture
def undertaker(reference):
    return OrganisationFactory(name="吉林市测试化工新材料有限公司", kind="enterprise", region_id="220204")


@pytest.fixture
def member(undertaker):
    return member_of(undertaker, username="und_member")


@pytest.fixture
def officer(reference):
    return staff_in("220200", Duty.PROGRAM_OFFICER, username="jl_officer")


@pytest.fixture
def other_officer(reference):
    """A program officer of the same city who is not this project's officer."""
    return staff_in("220200", Duty.PROGRAM_OFFICER, username="jl_officer2")


@pytest.fixture
def changchun_officer(reference):
    return staff_in("220100", Duty.PROGRAM_OFFICER, username="cc_officer")


@pytest.fixture
def finance(reference):
    return staff_in("220200", Duty.FINANCE, username="jl_finance")


@pytest.fixture
def stranger(reference):
    return UserFactory(username="stranger")


@pytest.fixture
def project(undertaker, officer):
    project = services.create_project(
        actor=officer,
        undertaker_id=undertaker.pk,
        title="高性能碳纤维复合材料中试",
        call_title="2026年吉林市科技发展计划",
        amount="500000.00",
        start_date=START,
        end_date=END,
        post_subsidy=True,
        keywords="碳纤维，复合材料",
        now=NOW,
    )
    return services.assign_officer(
        actor=officer, project_id=project.pk, officer_id=officer.pk, supervisor="吉林市科技监理中心", now=NOW
    )


@pytest.fixture
def experts(reference):
    made = []
    for i, name in enumerate(["张明", "李华", "王强"]):
        user = UserFactory(username=f"expert{i}")
        made.append(make_expert(name=name, user=user, region="220102"))
    return made
