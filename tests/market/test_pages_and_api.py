"""Pages and API: wiring, the secret reserve price, oversight by region, verification endpoint."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.market.conftest import live_auction, make_achievement, register
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.market import services

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_reserve_price_is_hidden_from_bidders_until_the_close(
    auction, bidder_a, university_user, city_staff
):
    url = f"/api/v1/market/auctions/{auction.pk}"
    assert client_for(bidder_a).get(url).json()["reserve_price"] is None
    assert client_for().get(url).json()["reserve_price"] is None
    assert client_for(university_user).get(url).json()["reserve_price"] == "120000.00"
    assert client_for(city_staff).get(url).json()["reserve_price"] == "120000.00"
    page = client_for(bidder_a).get(f"/market/auctions/{auction.pk}/").content.decode()
    assert "保留价" not in page and "120000" not in page


def test_a_bid_over_the_api_needs_a_key_and_replays_the_first_result(university_user, achievement, bidder_a):
    now = timezone.now()  # the API runs on the server clock
    auction = live_auction(seller_user=university_user, achievement=achievement, now=now)
    register(bidder_a, auction, now=now)
    client = client_for(bidder_a)
    url = f"/api/v1/market/auctions/{auction.pk}/bids"
    missing = client.post(url, {"amount": "100000"}, content_type="application/json")
    assert missing.status_code == 422 and "Idempotency-Key" in missing.json()["message"]
    first = client.post(
        url, {"amount": "100000"}, content_type="application/json", headers={"Idempotency-Key": "a1"}
    )
    again = client.post(
        url, {"amount": "100000"}, content_type="application/json", headers={"Idempotency-Key": "a1"}
    )
    assert first.status_code == again.status_code == 201, (first.content.decode(), again.content.decode())
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    # A new bid from the current leader is refused: it would outbid itself (rules: test_auction_bids).
    own = client.post(
        url, {"amount": "105000"}, content_type="application/json", headers={"Idempotency-Key": "a2"}
    )
    assert (
        own.status_code == 409 and own.json()["code"] == "already_leading" and "领先" in own.json()["message"]
    )


def test_the_verify_endpoint_is_public(auction):
    body = client_for().get(f"/api/v1/market/auctions/{auction.pk}/verify").json()
    assert body["intact"] is True and body["length"] == 1 and body["broken_at"] is None


def test_staff_oversee_the_auctions_of_their_subtree_only(
    university_user, achievement, city_staff, other_city_staff, province_staff, enterprise_user
):
    auction = live_auction(
        seller_user=university_user, achievement=achievement
    )  # a lot in 220102 (Changchun)
    for staff, sees in ((city_staff, True), (province_staff, True), (other_city_staff, False)):
        page = client_for(staff).get("/market/oversight/")
        assert page.status_code == 200 and (auction.title in page.content.decode()) is sees
    assert client_for(enterprise_user).get("/market/oversight/").status_code == 403


def test_the_market_pages_render(auction, bidder_a, university_user):
    register(bidder_a, auction)
    services.place_bid(
        actor=bidder_a, auction_id=auction.pk, amount="100000", idempotency_key="x", now=auction.starts_at
    )
    for user in (None, bidder_a, university_user):
        client = client_for(user)
        for url in (
            "/market/",
            f"/market/auctions/{auction.pk}/",
            f"/market/auctions/{auction.pk}/live/",
            f"/market/auctions/{auction.pk}/record/",
        ):
            assert client.get(url).status_code == 200, url
    live = client_for(bidder_a).get(f"/market/auctions/{auction.pk}/live/").content.decode()
    assert 'hx-trigger="every 3s"' in live and "10万元" in live and "100000.00" not in live


def test_the_verify_command_reports_a_broken_chain(auction, bidder_a, capsys):
    from django.core.management import call_command

    from zhouqiao.market.models import AuctionEvent

    register(bidder_a, auction)
    call_command("verify-auction", str(auction.pk))
    assert "chain intact" in capsys.readouterr().out
    AuctionEvent.objects.filter(auction=auction, seq=2).update(data={"organisation": 999})
    with pytest.raises(SystemExit):
        call_command("verify-auction", str(auction.pk))
    assert "BROKEN at record 2" in capsys.readouterr().out


@pytest.mark.parametrize("status", [RecordStatus.DRAFT, RecordStatus.SUBMITTED])
def test_the_ask_page_does_not_show_an_unpublished_achievement_to_outsiders(
    university, university_user, enterprise_user, other_city_staff, status
):
    secret = make_achievement(university, title="未发布的成果标题", status=status)
    for outsider in (enterprise_user, other_city_staff):
        response = client_for(outsider).get(f"/market/negotiations/new/{secret.pk}/")
        assert response.status_code == 404
        assert "未发布的成果标题" not in response.content.decode()
    assert client_for(university_user).get(f"/market/negotiations/new/{secret.pk}/").status_code == 200
