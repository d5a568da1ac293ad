import pytest

from tests.facilities.conftest import monday_at

pytestmark = pytest.mark.django_db


def test_booking_through_the_api_replays_the_first_result(client, instrument, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    payload = {
        "instrument_id": instrument.pk,
        "organisation_id": enterprise.pk,
        "starts_at": monday_at(9).isoformat(),
        "hours": 2,
        "purpose": "断口分析",
    }
    first = client.post(
        "/api/v1/facilities/bookings", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-1"
    )
    again = client.post(
        "/api/v1/facilities/bookings", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-1"
    )
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = client.post(
        "/api/v1/facilities/bookings", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-2"
    )
    assert other.status_code == 409 and other.json()["code"] == "slot_taken"
    calendar = client.get(
        f"/api/v1/facilities/instruments/{instrument.pk}/calendar", {"week": monday_at(9).date().isoformat()}
    ).json()
    taken = [s["start"] for s in calendar["slots"] if s["state"] == "taken"]
    assert taken == [monday_at(9).isoformat(), monday_at(10).isoformat()]


def test_it_refuses_approval_by_someone_outside_the_owner(client, instrument, enterprise, enterprise_user):
    client.force_login(enterprise_user)
    booking = client.post(
        "/api/v1/facilities/bookings",
        {
            "instrument_id": instrument.pk,
            "organisation_id": enterprise.pk,
            "starts_at": monday_at(9).isoformat(),
            "hours": 1,
            "purpose": "观察",
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="b-3",
    ).json()
    response = client.post(
        f"/api/v1/facilities/bookings/{booking['id']}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 403 and "无权" in response.json()["message"]


def test_the_evaluation_is_for_staff_only(client, enterprise_user, city_staff):
    client.force_login(enterprise_user)
    assert client.get("/api/v1/facilities/evaluation", {"year": 2026}).status_code == 403
    client.force_login(city_staff)
    assert client.get("/api/v1/facilities/evaluation", {"year": 2026}).json() == []
