"""Patent pool fixtures: a university that owns invention patents, the Changchun bureau that holds
the city's pool, its program officer (a member of the bureau), and an officer of Jilin City."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrganisationFactory, staff_in
from zhouqiao.accounts.models import Duty, MemberRole, Membership
from zhouqiao.programs.patent_pool.models import TrackedPatent
from zhouqiao.programs.patent_pool.states import PatentSource

# A Monday morning.
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def bureau(reference):
    return OrganisationFactory(name="长春测试科学技术局", kind="government", region_id="220104")


@pytest.fixture
def officer(bureau):
    user = staff_in("220100", Duty.PROGRAM_OFFICER, username="cc_officer")
    Membership.objects.create(user=user, organisation=bureau, role=MemberRole.MEMBER, joined_at=NOW)
    return user


@pytest.fixture
def reviewing_officer(bureau):
    """A program officer who is also a reviewer of the city (publishes the pool's catalog record)."""
    user = staff_in("220100", Duty.PROGRAM_OFFICER, Duty.REVIEWER, username="cc_officer_reviewer")
    Membership.objects.create(user=user, organisation=bureau, role=MemberRole.MEMBER, joined_at=NOW)
    return user


@pytest.fixture
def other_officer(reference):
    return staff_in("220200", Duty.PROGRAM_OFFICER, username="jc_officer")


@pytest.fixture
def owner_user(university_user):
    return university_user


@pytest.fixture
def outsider(enterprise_user):
    """A member of another organisation."""
    return enterprise_user


def make_patent(
    owner, *, number="ZL201910234567.8", granted_years_ago=4, title="一种稀土发光材料的制备方法", **extra
):
    granted = TODAY.replace(year=TODAY.year - granted_years_ago)
    values = {
        "number": number,
        "title": title,
        "owner": owner,
        "region_id": owner.region_id,
        "filed_on": granted.replace(year=granted.year - 2, month=3, day=15),
        "granted_on": granted,
        "source": PatentSource.DECLARED,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(extra)
    return TrackedPatent.objects.create(**values)


@pytest.fixture
def patent(university):
    return make_patent(university)
