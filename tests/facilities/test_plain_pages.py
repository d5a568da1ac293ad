"""Instrument pages: a date picker, amounts with their unit, words instead of codes, and only the
buttons the person may press."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.facilities.conftest import monday_at
from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.facilities import services

pytestmark = pytest.mark.django_db


def test_the_booking_form_has_a_date_picker_with_an_iso_date_and_hour_choices(
    client, instrument, enterprise_user
):
    client.force_login(enterprise_user)
    week = monday_at(9).date()
    page = client.get(reverse("facilities:instrument", args=[instrument.pk]), {"week": week.isoformat()})
    html = page.content.decode()
    assert f'type="date" name="day" value="{week.isoformat()}"' in html
    assert '<option value="8" selected>08:00</option>' in html  # the first free hour of the week
    assert "320万元" in html and "周一至周五 8:00–17:00" in html
    assert "002§17" not in html


def test_a_typed_date_outside_the_opening_days_is_refused_in_words(
    client, instrument, enterprise, enterprise_user
):
    client.force_login(enterprise_user)
    saturday = monday_at(9).date() + timedelta(days=5)
    response = client.post(
        reverse("facilities:instrument", args=[instrument.pk]),
        {
            "idempotency_key": "sat",
            "organisation": enterprise.pk,
            "day": saturday.isoformat(),
            "hour": 9,
            "hours": 1,
            "samples": 0,
            "purpose": "观察",
            "voucher": "",
        },
    )
    assert response.status_code == 200
    assert "周一至周五" in response.content.decode() and "12345" not in response.content.decode()


def test_the_evaluation_names_its_weights_in_words(client, reference):
    client.force_login(staff_in("220100", Duty.REVIEWER, username="eval_staff"))
    page = client.get(reverse("facilities:evaluation")).content.decode()
    assert "服务机时40%，外单位机时占比30%，服务收入20%，用户评分10%" in page
    assert "external_share" not in page and "000§" not in page and "001#" not in page


def test_the_booking_page_offers_only_what_each_side_may_do_now(
    client, instrument, enterprise, enterprise_user, institute_user, now
):
    booking = services.book(
        actor=enterprise_user,
        instrument_id=instrument.pk,
        organisation_id=enterprise.pk,
        starts_at=monday_at(10),
        hours=1,
        purpose="观察",
        now=now,
    )
    url = reverse("facilities:booking", args=[booking.pk])
    client.force_login(institute_user)
    page = client.get(url).content.decode()
    assert "同意预约" in page and "登记并计费" not in page and "取消预约" not in page
    client.force_login(enterprise_user)
    page = client.get(url).content.decode()
    assert "同意预约" not in page and "取消预约" in page
    booking = services.transition_booking(
        actor=institute_user, booking_id=booking.pk, to_status="approved", now=now
    )
    # within 24 hours of the start the booker can no longer cancel: no button
    assert (
        services.actions_open_to(enterprise_user, booking, now=booking.starts_at - timedelta(hours=2))
        == set()
    )
    assert services.actions_open_to(institute_user, booking, now=booking.starts_at + timedelta(hours=1)) == {
        "usage"
    }
    assert services.actions_open_to(institute_user, booking, now=now) == {"cancel"}


def test_the_fee_is_shown_with_its_unit(client, instrument, enterprise, enterprise_user, institute_user, now):
    booking = services.book(
        actor=enterprise_user,
        instrument_id=instrument.pk,
        organisation_id=enterprise.pk,
        starts_at=monday_at(10),
        hours=2,
        purpose="观察",
        now=now,
    )
    services.transition_booking(actor=institute_user, booking_id=booking.pk, to_status="approved", now=now)
    services.record_usage(actor=institute_user, booking_id=booking.pk, hours="2", now=booking.starts_at)
    client.force_login(enterprise_user)
    page = client.get(reverse("facilities:booking", args=[booking.pk])).content.decode()
    usage = page[page.index("使用情况与服务费") :]
    assert "1,200元" in usage and "2.00 机时 × 600元/机时" in usage, usage[:600]
