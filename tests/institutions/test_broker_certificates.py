"""A broker's certificate is checked by the reviewers of the institution's region before the broker
is listed as certified: submitted → approved, or returned with a reason and resubmitted; reviewers
told once per submission and find it in their to-dos; the broker told the outcome; audited; only
the region's reviewers see the buttons."""

import pytest
from django.urls import reverse

from tests.factories import member_of, staff_in
from tests.institutions.conftest import NOW
from zhouqiao.accounts.models import Duty
from zhouqiao.community.institutions import services
from zhouqiao.community.institutions.models import Broker
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.registry import SOURCES

pytestmark = pytest.mark.django_db

CERTIFICATE = {
    "name": "孙立",
    "level": "senior",
    "certificate_number": "DBZX-2021-0618",
    "certificate_issuer": "国家技术转移东北中心",
    "certificate_date": "2021-06-18",
    "fields": "先进制造",
}
LATER = NOW.replace(hour=15)


@pytest.fixture
def person(institution):
    return member_of(institution, username="sunli")


@pytest.fixture
def submitted(admin, institution, person, reviewer, jilin_reviewer):
    return services.register_broker(
        actor=admin, organisation_id=institution.pk, user_id=person.pk, data=CERTIFICATE, now=NOW
    )


def _todos(user):
    return [t.title for _key, _label, source in SOURCES for t in source(user)]


def _told(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).values_list("title", flat=True))


def test_a_new_broker_waits_on_the_region_s_reviewers_and_is_not_public(
    client, submitted, reviewer, jilin_reviewer
):
    assert submitted.certificate_status == "submitted"
    assert _told(reviewer, "institutions.certificate_submitted") == [
        "技术经纪人证书待核验：孙立（长春测试技术转移中心）"
    ]
    assert _told(jilin_reviewer, "institutions.certificate_submitted") == []
    assert "核验技术经纪人证书：孙立（长春测试技术转移中心）" in _todos(reviewer)
    assert not any("孙立" in t for t in _todos(jilin_reviewer))
    assert "孙立" not in client.get(reverse("institutions:broker_list")).content.decode()
    assert client.get(reverse("institutions:broker_detail", args=[submitted.pk])).status_code == 404
    assert client.get("/api/v1/community/institutions/brokers").json() == []


def test_returned_with_a_reason_corrected_then_approved_and_listed(
    client, submitted, admin, person, reviewer
):
    with pytest.raises(ValidationFailed):
        services.decide_certificate(
            actor=reviewer, broker_id=submitted.pk, approve=False, reason=" ", now=NOW
        )
    assert Broker.objects.get(pk=submitted.pk).certificate_status == "submitted"

    services.decide_certificate(
        actor=reviewer, broker_id=submitted.pk, approve=False, reason="证书编号与东北中心登记不符", now=NOW
    )
    broker = Broker.objects.get(pk=submitted.pk)
    assert broker.certificate_status == "returned" and broker.certificate_checked_by == reviewer
    returned = AuditEvent.objects.get(action="broker.certificate_returned")
    assert returned.reason == "证书编号与东北中心登记不符"
    for user in (person, admin):  # the broker and the institution's admin are told why
        assert _told(user, "institutions.certificate_decided") == [
            "技术经纪人证书被退回：孙立，请修改后重新提交"
        ]
    assert "修改并重新提交技术经纪人证书：孙立" in _todos(admin)
    assert not any("孙立" in t for t in _todos(reviewer))

    services.update_broker(
        actor=admin,
        broker_id=broker.pk,
        data={**CERTIFICATE, "certificate_number": "DBZX-2021-0681"},
        now=LATER,
    )
    assert Broker.objects.get(pk=broker.pk).certificate_status == "submitted"
    assert len(_told(reviewer, "institutions.certificate_submitted")) == 2  # once per submission
    assert "修改并重新提交技术经纪人证书：孙立" not in _todos(admin)

    services.decide_certificate(actor=reviewer, broker_id=broker.pk, approve=True, reason="", now=LATER)
    assert AuditEvent.objects.filter(action="broker.certificate_approved").count() == 1
    assert "技术经纪人证书已核验：孙立，已在技术经纪人名录中公开" in _told(
        person, "institutions.certificate_decided"
    )
    assert not any("孙立" in t for t in _todos(reviewer))
    assert "孙立" in client.get(reverse("institutions:broker_list")).content.decode()
    assert [b["name"] for b in client.get("/api/v1/community/institutions/brokers").json()] == ["孙立"]
    with pytest.raises(InvalidTransition):
        services.decide_certificate(actor=reviewer, broker_id=broker.pk, approve=True, reason="", now=LATER)


def test_only_reviewers_of_the_institution_s_region_may_decide(
    submitted, admin, jilin_reviewer, statistician
):
    for actor in (admin, jilin_reviewer, statistician):
        with pytest.raises(PermissionDenied):
            services.decide_certificate(actor=actor, broker_id=submitted.pk, approve=True, reason="", now=NOW)
    assert Broker.objects.get(pk=submitted.pk).certificate_status == "submitted"
    assert not AuditEvent.objects.filter(action__startswith="broker.certificate_").exists()


def test_the_buttons_show_for_the_region_s_reviewer_only(client, submitted, admin, reviewer, statistician):
    url = reverse("institutions:broker_detail", args=[submitted.pk])
    button = reverse("institutions:decide_certificate", args=[submitted.pk, "approve"])
    client.force_login(reviewer)
    assert button in client.get(url).content.decode()
    for user in (admin, statistician):
        client.force_login(user)
        response = client.get(url)
        assert button not in response.content.decode()  # the admin sees the page, without the buttons
    assert response.status_code == 404  # statistics staff are not reviewers: not public yet
    client.force_login(admin)
    refused = client.post(reverse("institutions:decide_certificate", args=[submitted.pk, "approve"]))
    assert (
        refused.status_code == 302 and Broker.objects.get(pk=submitted.pk).certificate_status == "submitted"
    )
    client.force_login(reviewer)
    client.post(reverse("institutions:decide_certificate", args=[submitted.pk, "approve"]), {"reason": ""})
    assert Broker.objects.get(pk=submitted.pk).certificate_status == "approved"


def test_a_changed_certificate_is_checked_again_but_a_new_profile_is_not(submitted, admin, reviewer):
    services.decide_certificate(actor=reviewer, broker_id=submitted.pk, approve=True, reason="", now=NOW)
    services.update_broker(
        actor=admin, broker_id=submitted.pk, data={**CERTIFICATE, "profile": "熟悉专利许可"}, now=LATER
    )
    assert Broker.objects.get(pk=submitted.pk).certificate_status == "approved"
    services.update_broker(
        actor=admin, broker_id=submitted.pk, data={**CERTIFICATE, "level": "junior"}, now=LATER
    )
    assert Broker.objects.get(pk=submitted.pk).certificate_status == "submitted"


def test_a_county_reviewer_covering_the_institution_may_check(submitted, institution):
    county = staff_in("220173", Duty.REVIEWER, username="jingkai_reviewer")
    services.decide_certificate(actor=county, broker_id=submitted.pk, approve=True, reason="", now=NOW)
    assert Broker.objects.get(pk=submitted.pk).certificate_status == "approved"
