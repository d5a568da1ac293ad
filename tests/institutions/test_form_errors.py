"""The filing and broker forms show every problem of one submission at once, each beside its
field (the service's own checks included), and nothing is written."""

import pytest

from tests.factories import member_of
from zhouqiao.community.institutions.models import Broker, InstitutionFiling

pytestmark = pytest.mark.django_db


def _shown(page: str) -> int:
    return page.count('<span class="error" role="alert">')


def test_a_filing_with_three_problems_shows_all_three(client, institution, admin):
    client.force_login(admin)
    response = client.post(
        f"/community/institutions/{institution.pk}/filing/",
        {"staff_count": "", "part_time_experts": "0", "fields": "", "description": ""},  # no services
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请至少选择一项服务类型。" in page  # the service's check, shown with the form's own two
    assert _shown(page) == 3  # staff count, fields, services
    assert not InstitutionFiling.objects.exists()


def test_a_broker_with_a_missing_name_and_a_future_certificate_date_shows_both(client, institution, admin):
    member = member_of(institution, username="ttc_broker")
    client.force_login(admin)
    response = client.post(
        f"/community/institutions/{institution.pk}/brokers/new/",
        {
            "user": member.pk,
            "name": "",
            "level": "junior",
            "certificate_number": "",
            "certificate_issuer": "国家技术转移东北中心",
            "certificate_date": "2099-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "发证日期不能晚于今天。" in page  # the service's check, shown with the form's
    assert _shown(page) == 3  # name, certificate number, date
    assert not Broker.objects.exists()
