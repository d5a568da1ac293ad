"""Who the review workflow tells, and what waits on whom: each kind reaches the right people once,
and nobody else; reviewers see submissions with their age and deadline, owners what was returned."""

from datetime import datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrganisationFactory, member_of
from zhouqiao.catalog import services, todos
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.registry import SOURCES
from zhouqiao.notifications.selectors import todos_for

from .conftest import NOW, demand_data, walk_to

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def everyone(
    university_user, enterprise_user, city_staff, province_staff, county_staff, other_city_staff, stranger
):
    """A second member of the university, and every persona, so 'only they' is checked."""
    university = university_user.memberships.get().organisation
    return member_of(university, username="uni_colleague")


def test_a_submission_tells_the_reviewers_of_the_bureau_it_waits_on_once(
    make_achievement, everyone, university_user
):
    a = make_achievement(RecordStatus.SUBMITTED)
    # 测试大学 is in 220102 (Changchun), where no district bureau reviews: the city's reviewers,
    # not the province's (it supervises), not the county's, not Jilin city's, not the owners.
    assert told(todos.SUBMITTED) == ["city_staff"]
    note = Notification.objects.filter(kind=todos.SUBMITTED).first()
    assert a.title in note.title and note.url == f"/catalog/achievements/{a.pk}/"
    # The same event again (a retried call) tells nobody twice.
    entry_key = note.key
    a.refresh_from_db()
    todos.record_moved("achievement", a, event_key=entry_key, now=NOW)
    assert told(todos.SUBMITTED) == ["city_staff"]


def test_a_demand_submission_tells_its_reviewers(make_demand, everyone):
    make_demand(RecordStatus.SUBMITTED)
    assert told(todos.SUBMITTED) == ["city_staff"]


def test_a_county_record_waits_on_the_county_bureau_alone(make_demand, everyone, county_staff, city_staff):
    """One record, one bureau's to-do list: a 德惠 demand is the county's; the city and the province
    supervise (they may open it) but neither is told nor counts it; a city record is the city's."""
    county = OrganisationFactory(name="德惠测试农产品加工有限公司", region_id="220183")
    member = member_of(county, username="county_member")
    d = services.create_demand(actor=member, owner_id=county.pk, data=demand_data(), now=NOW)
    d = walk_to("demand", d, RecordStatus.SUBMITTED, owner_user=member, reviewer=None)
    assert told(todos.SUBMITTED) == ["county_staff"]
    province_staff = type(county_staff).objects.get(username="province_staff")
    assert [r.todo.title for r in groups(county_staff, NOW)["待审核的技术需求"]] == [d.title]
    assert "待审核的技术需求" not in groups(city_staff, NOW)
    assert "待审核的技术需求" not in groups(province_staff, NOW)
    city = make_demand(RecordStatus.SUBMITTED)
    assert [r.todo.title for r in groups(city_staff, NOW)["待审核的技术需求"]] == [city.title]
    assert "待审核的技术需求" not in groups(province_staff, NOW)


def test_a_return_tells_the_owner_organisation_with_the_reason(make_achievement, everyone, city_staff):
    make_achievement(RecordStatus.RETURNED, reviewer=city_staff)
    assert told(todos.RETURNED) == ["uni_admin", "uni_colleague"]
    assert Notification.objects.filter(kind=todos.RETURNED).first().body == "材料不全"
    assert told(todos.PUBLISHED) == []


def test_publishing_tells_the_owner_organisation(make_demand, everyone, city_staff):
    make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    assert told(todos.PUBLISHED) == ["ent_admin"]
    assert told(todos.RETURNED) == []


def test_an_expired_demand_tells_its_owner(make_demand, everyone, city_staff):
    make_demand(RecordStatus.EXPIRED, reviewer=city_staff)
    assert told(todos.DEMAND_EXPIRED) == ["ent_admin"]


def test_an_invitation_tells_the_invited_organisation_only(
    make_demand, everyone, city_staff, enterprise_user
):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited")
    partner = OrganisationFactory(name="受邀测试研究院", kind="institute", region_id="220102")
    member_of(partner, username="partner_member")
    services.invite(actor=enterprise_user, demand_id=d.pk, organisation_id=partner.pk, now=NOW)
    assert told(todos.DEMAND_INVITED) == ["partner_member"]


def test_a_resubmission_is_a_new_event(make_achievement, everyone, university_user, city_staff):
    a = make_achievement(RecordStatus.RETURNED, reviewer=city_staff)
    services.submit(actor=university_user, kind="achievement", record_id=a.pk, now=NOW)
    assert Notification.objects.filter(kind=todos.SUBMITTED, user=city_staff).count() == 2


# --- to-dos ----------------------------------------------------------------------------------


def groups(user, now):
    """The catalog's to-do groups as the to-do page shows them (other apps' sources left out)."""
    catalog_labels = {str(label) for key, label, _f in SOURCES if key.startswith("zhouqiao.catalog.")}
    with patch(
        "zhouqiao.notifications.selectors.SOURCES", [s for s in SOURCES if str(s[1]) in catalog_labels]
    ):
        return {g.label: g.items for g in todos_for(user, now=now)}


def test_reviewers_see_submissions_in_their_jurisdiction_with_a_five_working_day_deadline(
    make_achievement, make_demand, city_staff, county_staff, university_user, settings
):
    settings.CATALOG_REVIEW_DAYS = 5
    a = make_achievement(RecordStatus.SUBMITTED)  # NOW is Monday 2 March 2026, 10:00
    d = make_demand(RecordStatus.SUBMITTED)
    monday_next = datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)
    mine = groups(city_staff, monday_next)
    [row] = mine["待审核的科技成果"]
    assert row.todo.title == a.title and row.days_waiting == 7 and not row.overdue
    assert row.todo.deadline == datetime(2026, 3, 10, 0, 0, tzinfo=SHANGHAI)  # end of Monday 9 March
    assert [r.todo.title for r in mine["待审核的技术需求"]] == [d.title]
    assert groups(city_staff, monday_next + timedelta(days=1))["待审核的科技成果"][0].overdue
    assert "待审核的科技成果" not in groups(county_staff, monday_next)
    assert "待审核的科技成果" not in groups(university_user, monday_next)


def test_a_holiday_moves_the_deadline(make_achievement, city_staff):
    from zhouqiao.market.models import CalendarDay

    CalendarDay.objects.create(date=datetime(2026, 3, 4).date(), is_workday=False, name="测试假日")
    make_achievement(RecordStatus.SUBMITTED)
    [row] = groups(city_staff, NOW)["待审核的科技成果"]
    assert row.todo.deadline == datetime(2026, 3, 11, 0, 0, tzinfo=SHANGHAI)


def test_owners_see_what_was_returned_until_they_resubmit(
    make_achievement, university_user, enterprise_user, city_staff
):
    a = make_achievement(RecordStatus.RETURNED, reviewer=city_staff)
    label = "被退回的成果与需求（请修改后重新提交）"
    [row] = groups(university_user, NOW)[label]
    assert a.title in row.todo.title and "材料不全" in row.todo.detail
    assert label not in groups(enterprise_user, NOW)
    assert label not in groups(city_staff, NOW)
    walk_to("achievement", a, RecordStatus.SUBMITTED, owner_user=university_user, reviewer=city_staff)
    assert label not in groups(university_user, NOW)


def test_the_review_queue_shows_age_last_day_and_overdue(client, make_achievement, city_staff):
    a = make_achievement(RecordStatus.SUBMITTED)  # submitted Monday 2 March 2026, long ago
    client.force_login(city_staff)
    page = client.get("/catalog/review/").content.decode()
    row = page[page.index(a.title) :].split("</tr>")[0]
    assert "2026-03-09" in row and "已超期" in row and " 天" in row


def test_the_owner_invites_an_organisation_picked_by_name(client, make_demand, enterprise_user, city_staff):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited")
    partner = OrganisationFactory(name="受邀测试研究院", kind="institute", region_id="220102")
    member_of(partner, username="partner_member")
    client.force_login(enterprise_user)
    page = client.get(f"/catalog/demands/{d.pk}/").content.decode()
    assert f'<option value="{partner.pk}">受邀测试研究院</option>' in page and "机构编号" not in page
    client.post(f"/catalog/demands/{d.pk}/invitations/", {"organisation": partner.pk})
    assert told(todos.DEMAND_INVITED) == ["partner_member"]
    page = client.get(f"/catalog/demands/{d.pk}/").content.decode()
    assert f"受邀测试研究院（{partner.pk}）" not in page and f'<option value="{partner.pk}">' not in page
