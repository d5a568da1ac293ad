"""One inbox: a person is told about an event once, by e-mail only when they opted in; the to-do list
shows what waits on each person and nobody else."""

from datetime import timedelta

import pytest
from django.core import mail

from tests.factories import OrganisationFactory, member_of
from zhouqiao.accounts import services as accounts
from zhouqiao.accounts.models import Duty
from zhouqiao.core import clock
from zhouqiao.notifications import recipients, services
from zhouqiao.notifications.models import EmailPreference, Notification
from zhouqiao.notifications.registry import kind
from zhouqiao.notifications.selectors import todos_for

pytestmark = pytest.mark.django_db

TEST_KIND = kind("tests.ping", "测试提醒")


def test_it_tells_each_person_once_per_event(enterprise_user, university_user):
    now = clock.now()
    people = [enterprise_user, university_user]
    assert (
        services.notify(people, kind=TEST_KIND, title="有新的报价", url="/market/", key="offer:1", now=now)
        == 2
    )
    assert (
        services.notify(people, kind=TEST_KIND, title="有新的报价", url="/market/", key="offer:1", now=now)
        == 0
    )
    assert Notification.objects.filter(key="offer:1").count() == 2
    services.notify([enterprise_user], kind=TEST_KIND, title="又一个报价", url="/", key="offer:2", now=now)
    assert Notification.objects.filter(user=enterprise_user).count() == 2


def test_it_refuses_an_undeclared_kind(enterprise_user):
    with pytest.raises(ValueError):
        services.notify(
            [enterprise_user], kind="nobody.declared", title="x", url="", key="k", now=clock.now()
        )


def test_it_emails_only_those_who_opted_in(
    enterprise_user, university_user, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    enterprise_user.email, university_user.email = "ent@example.com", "uni@example.com"
    enterprise_user.save()
    university_user.save()
    services.set_email_kinds(actor=enterprise_user, kinds=[TEST_KIND], now=clock.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            [enterprise_user, university_user],
            kind=TEST_KIND,
            title="合同已登记",
            url="/c/1/",
            key="c:1",
            now=clock.now(),
        )
    assert [m.to for m in mail.outbox] == [["ent@example.com"]]
    assert "合同已登记" in mail.outbox[0].subject


def test_email_preferences_refuse_an_unknown_kind_and_change_nothing(enterprise_user):
    from zhouqiao.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.set_email_kinds(actor=enterprise_user, kinds=["no.such.kind"], now=clock.now())
    assert not EmailPreference.objects.filter(user=enterprise_user).exists()


def test_staff_recipients_are_those_whose_jurisdiction_covers_the_region(
    city_staff, county_staff, province_staff, other_city_staff
):
    # 220183 德惠市 lies in 长春市 (2201) and in the province; not in 吉林市 (2202).
    covering = set(recipients.staff(Duty.REVIEWER, "220183").values_list("username", flat=True))
    assert covering == {"city_staff", "county_staff", "province_staff"}
    assert set(recipients.staff(Duty.REVIEWER, "220104").values_list("username", flat=True)) == {
        "city_staff",
        "province_staff",
    }
    assert not recipients.staff(Duty.FINANCE, "220104").exists()


def test_a_registered_organisation_waits_on_the_reviewers_of_its_region_and_they_alone_are_told(
    city_staff, other_city_staff, county_staff, enterprise_user
):
    now = clock.now()
    accounts.register_organisation(
        actor=enterprise_user,
        data={
            "name": "长春新注册科技有限公司",
            "kind": "enterprise",
            "credit_code": _credit_code("220104"),
            "region": "220104",
        },
        document=(b"%PDF-1.4 licence scan", "营业执照.pdf"),
        now=now,
    )
    told = set(
        Notification.objects.filter(kind="accounts.organisation_submitted").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"city_staff"}

    later = now + timedelta(days=6)
    [group] = [g for g in todos_for(city_staff, now=later) if "机构认证" in g.label]
    [row] = [r for r in group.items if r.todo.title == "长春新注册科技有限公司"]
    assert row.days_waiting == 6 and row.overdue
    assert not any("机构认证" in g.label for g in todos_for(other_city_staff, now=later))
    assert not any("机构认证" in g.label for g in todos_for(enterprise_user, now=later))


def test_a_decision_is_told_to_the_organisations_admins_only(city_staff, reference):
    org = OrganisationFactory(name="长春待审科技有限公司", region_id="220104", status="submitted")
    admin = member_of(org, username="org_admin")
    member = member_of(org, username="org_member", role="member")
    accounts.return_organisation(
        actor=city_staff, organisation_id=org.pk, reason="营业执照不清晰", now=clock.now()
    )
    [note] = Notification.objects.filter(kind="accounts.organisation_returned")
    assert note.user == admin and note.body == "营业执照不清晰"
    assert not Notification.objects.filter(user=member).exists()
    assert any("被退回" in g.label for g in todos_for(admin, now=clock.now()))


def _credit_code(region):
    from tests.factories import credit_code_in

    return credit_code_in(region)


@pytest.mark.django_db
def test_an_organisations_admin_notices_skip_its_plain_member_who_administers_another(reference):
    from zhouqiao.accounts.models import MemberRole, Membership

    university = OrganisationFactory(name="某大学", kind="university", region_id="220104")
    spin_off = OrganisationFactory(name="某大学孵化企业", region_id="220104")
    admin = member_of(university, username="uni_admin_only")
    researcher = member_of(university, role=MemberRole.MEMBER, username="researcher")
    Membership.objects.create(
        user=researcher, organisation=spin_off, role=MemberRole.ADMIN, joined_at=clock.now()
    )

    assert list(recipients.org_admins(university)) == [admin]
    assert list(recipients.org_admins(spin_off)) == [researcher]
