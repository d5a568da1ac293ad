"""The talent database: search by the 双融 posts and availability; counts for staff; the marks
edited by the person or an officer only; the talk button only where a talk may be opened."""

import pytest
from django.urls import reverse

from tests.community.helpers import make_expert
from tests.factories import OrganisationFactory, UserFactory, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.community import talent
from zhouqiao.community.exchange import services
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reference):
    uni = OrganisationFactory(kind="university", region_id="220102")
    works = OrganisationFactory(kind="enterprise", region_id="220204")
    return {
        "vp": make_expert(uni, name="科研甲", vice_president=True, disciplines=["46025"], user=UserFactory()),
        "closed": make_expert(
            uni, name="科研乙", vice_president=True, availability="closed", disciplines=["46025"]
        ),
        "prof": make_expert(
            works,
            name="工程丙",
            region="220204",
            category="engineer",
            industry_professor=True,
            disciplines=["58020"],
        ),
    }


def test_search_by_post_hides_people_who_said_no(people):
    names = {e.name for e in talent.search(post="vice_president")}
    assert names == {"科研甲"}
    assert {e.name for e in talent.search(post="industry_professor")} == {"工程丙"}
    assert {e.name for e in talent.search(availability="closed")} == {"科研乙"}


def test_staff_see_counts_by_region_and_field(people, city_staff, province_staff):
    mine = talent.counts(city_staff)
    assert mine["total"] == 2  # Changchun only
    everything = talent.counts(province_staff)
    assert everything["total"] == 3
    regions = {r["code"]: r for r in everything["by_region"]}
    assert regions["220100"]["people"] == 2 and regions["220100"]["vice_president"] == 2
    assert regions["220200"]["industry_professor"] == 1
    fields = {r["code"]: r["people"] for r in everything["by_field"]}
    assert fields["460"] == 2 and fields["580"] == 1


def test_the_stats_page_is_for_staff_only(client, people, enterprise_user, city_staff):
    client.force_login(enterprise_user)
    assert client.get(reverse("community:talent_stats")).status_code == 404
    client.force_login(city_staff)
    page = client.get(reverse("community:talent_stats")).content.decode()
    assert "按地区" in page and "长春市" in page


def test_only_the_person_or_an_officer_edits_the_marks(people, enterprise_user, now):
    person = people["vp"]
    with pytest.raises(PermissionDenied):
        services.update_talent(
            actor=enterprise_user,
            expert_id=person.pk,
            category="researcher",
            vice_president=False,
            industry_professor=False,
            availability="closed",
            now=now,
        )
    services.update_talent(
        actor=person.user,
        expert_id=person.pk,
        category="researcher",
        vice_president=True,
        industry_professor=False,
        availability="limited",
        now=now,
    )
    person.refresh_from_db()
    assert person.availability == "limited"
    assert AuditEvent.objects.filter(action="community.talent.updated", target_id=str(person.pk)).exists()
    officer = staff_in("220000", Duty.PROGRAM_OFFICER)
    services.update_talent(
        actor=officer,
        expert_id=person.pk,
        category="researcher",
        vice_president=False,
        industry_professor=False,
        availability="open",
        now=now,
    )


def test_the_talk_button_shows_for_a_verified_member_only(client, people, enterprise_user, stranger):
    url = reverse("community:talent")
    assert "发起对接" not in client.get(url).content.decode()
    client.force_login(stranger)
    assert "发起对接" not in client.get(url).content.decode()
    client.force_login(enterprise_user)
    page = client.get(url, {"post": "vice_president"}).content.decode()
    assert "科研甲" in page and "发起对接" in page
