"""Demo-walk findings on the broker pages: the edit form's date input shows the stored date (ISO, so
the browser's date picker is not empty and an unchanged save goes through); an institution with no
member to pick is told to invite one instead of an empty picker; a changed certificate waiting for
a new check does not show the old check date, the reviewer sees what changed since the approval, and
the edit form shows the return reason."""

import pytest
from django.urls import reverse

from tests.factories import member_of
from tests.institutions.conftest import NOW
from tests.institutions.test_broker_certificates import CERTIFICATE, LATER
from zhouqiao.community.institutions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(admin, institution, reviewer):
    person = member_of(institution, username="sunli")
    return services.register_broker(
        actor=admin, organisation_id=institution.pk, user_id=person.pk, data=CERTIFICATE, now=NOW
    )


def _edit_data(**changes):
    data = dict(CERTIFICATE)
    data["profile"] = ""
    data.update(changes)
    return data


def test_the_edit_form_s_date_input_shows_the_stored_date(client, admin, broker):
    client.force_login(admin)
    page = client.get(reverse("institutions:broker_edit", args=[broker.pk])).content.decode()
    assert 'type="date"' in page
    assert 'value="2021-06-18"' in page


def test_an_institution_without_members_to_pick_is_sent_to_invite_one(client, admin, institution):
    services.register_broker(  # the admin, its only member, is a broker already
        actor=admin, organisation_id=institution.pk, user_id=admin.pk, data=CERTIFICATE, now=NOW
    )
    client.force_login(admin)
    page = client.get(reverse("institutions:broker_create", args=[institution.pk])).content.decode()
    assert "本机构还没有可登记为经纪人的成员" in page
    assert reverse("web:organisation_members", args=[institution.pk]) in page
    assert 'name="user"' not in page  # no empty picker


def test_a_member_to_pick_shows_the_picker(client, admin, institution):
    member_of(institution, username="wangli")
    client.force_login(admin)
    page = client.get(reverse("institutions:broker_create", args=[institution.pk])).content.decode()
    assert 'name="user"' in page
    assert "本机构还没有可登记为经纪人的成员" not in page


def test_a_changed_certificate_hides_the_old_check_date_and_shows_the_reviewer_what_changed(
    client, admin, reviewer, broker
):
    services.decide_certificate(actor=reviewer, broker_id=broker.pk, approve=True, reason="", now=LATER)
    client.force_login(admin)
    response = client.post(
        reverse("institutions:broker_edit", args=[broker.pk]),
        _edit_data(certificate_number="DBZX-2024-0001", level="intermediate"),
    )
    assert response.status_code == 302
    page = client.get(reverse("institutions:broker_detail", args=[broker.pk])).content.decode()
    assert "证书待核验" in page
    assert "核验日期" not in page
    client.force_login(reviewer)
    page = client.get(reverse("institutions:broker_detail", args=[broker.pk])).content.decode()
    assert "核验日期" not in page
    assert "上次核验通过后修改" in page
    assert "DBZX-2021-0618" in page  # the approved number beside the new one
    assert "DBZX-2024-0001" in page
    assert "高级技术经理人" in page  # the approved level beside the new 中级
    assert "中级技术经纪人" in page


def test_the_edit_form_shows_the_return_reason(client, admin, reviewer, broker):
    services.decide_certificate(
        actor=reviewer, broker_id=broker.pk, approve=False, reason="证书编号与发证机构登记不符", now=LATER
    )
    client.force_login(admin)
    page = client.get(reverse("institutions:broker_edit", args=[broker.pk])).content.decode()
    assert "证书编号与发证机构登记不符" in page
    detail = client.get(reverse("institutions:broker_detail", args=[broker.pk])).content.decode()
    assert "核验日期" not in detail
