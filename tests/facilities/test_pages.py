from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.facilities.conftest import monday_at
from zhouqiao.facilities import services

pytestmark = pytest.mark.django_db


def test_the_registry_and_calendar_show_free_and_taken_hours(
    client, instrument, enterprise, enterprise_user, now
):
    services.book(
        actor=enterprise_user,
        instrument_id=instrument.pk,
        organisation_id=enterprise.pk,
        starts_at=monday_at(10),
        hours=2,
        purpose="观察",
        now=now,
    )
    assert "场发射扫描电子显微镜" in client.get(reverse("facilities:index")).content.decode()
    page = client.get(
        reverse("facilities:instrument", args=[instrument.pk]), {"week": monday_at(10).date().isoformat()}
    ).content.decode()
    assert page.count('<td class="slot-taken"') == 2
    assert '<td class="slot-free"' in page


def test_a_booking_is_made_through_the_form_and_replays_do_not_double_book(
    client, instrument, enterprise, enterprise_user
):
    client.force_login(enterprise_user)
    data = {
        "idempotency_key": "book-1",
        "organisation": enterprise.pk,
        "day": monday_at(9).date().isoformat(),
        "hour": 9,
        "hours": 2,
        "samples": 0,
        "purpose": "断口分析",
        "voucher": "",
    }
    url = reverse("facilities:instrument", args=[instrument.pk])
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    taken = client.post(url, {**data, "idempotency_key": "book-2"})
    assert "已被预约" in taken.content.decode()


def test_bookings_of_others_are_hidden(client, instrument, enterprise, enterprise_user, university_user, now):
    booking = services.book(
        actor=enterprise_user,
        instrument_id=instrument.pk,
        organisation_id=enterprise.pk,
        starts_at=monday_at(10),
        hours=1,
        purpose="观察",
        now=now,
    )
    client.force_login(university_user)
    assert client.get(reverse("facilities:booking", args=[booking.pk])).status_code == 404
    assert client.post(reverse("facilities:booking_action", args=[booking.pk, "approve"])).status_code == 404


def test_staff_export_the_evaluation_to_excel(client, city_staff, instrument, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("facilities:evaluation")).status_code == 403
    client.force_login(city_staff)
    response = client.get(reverse("facilities:evaluation_export"), {"year": 2026})
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["按仪器", "按单位"]
    assert "开放共享评价" in book["按仪器"]["A1"].value
