"""Issue 17, finding 1: nothing is done for "the first" of a person's organisations. A person who
belongs to two names the organisation in every market form; the service refuses an unnamed call."""

import pytest
import time_machine
from django.utils import timezone

from tests.factories import OrganisationFactory
from tests.market.conftest import NOW
from zhouqiao.accounts.models import MemberRole, Membership
from zhouqiao.core.errors import DomainError
from zhouqiao.market import services
from zhouqiao.market.models import ListingIntent
from zhouqiao.market.services.common import acting_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_org(enterprise_user):
    org = OrganisationFactory(name="第二家测试企业有限公司")
    Membership.objects.create(
        user=enterprise_user, organisation=org, role=MemberRole.MEMBER, joined_at=timezone.now()
    )
    return org


@pytest.fixture
def listing(university_user, achievement):
    return services.create_listing(
        actor=university_user, achievement_id=achievement.pk, price="300000", mode="transfer", now=NOW
    )


def test_it_refuses_to_guess_among_several_organisations(enterprise_user, enterprise, second_org):
    with pytest.raises(DomainError) as caught:
        acting_organisation(enterprise_user)
    assert caught.value.code == "organisation_required"
    assert "多个机构" in str(caught.value.message)
    assert acting_organisation(enterprise_user, second_org.pk) == second_org


def test_the_only_organisation_needs_no_naming(enterprise_user, enterprise):
    assert acting_organisation(enterprise_user) == enterprise


def test_an_intent_is_registered_for_the_organisation_named(enterprise_user, enterprise, second_org, listing):
    with pytest.raises(DomainError):
        services.register_intent(actor=enterprise_user, listing_id=listing.pk, now=NOW)
    assert not ListingIntent.objects.exists()
    services.register_intent(
        actor=enterprise_user, listing_id=listing.pk, organisation_id=second_org.pk, now=NOW
    )
    assert ListingIntent.objects.get().organisation == second_org


def test_the_listing_page_offers_a_picker_and_books_the_choice(
    client, enterprise_user, enterprise, second_org, listing
):
    client.force_login(enterprise_user)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/market/listings/{listing.pk}/").content.decode()
        assert 'name="organisation_id"' in page and enterprise.name in page and second_org.name in page
        assert "请选择机构" in page  # no organisation preselected when there are two
        client.post(f"/market/listings/{listing.pk}/intent/", {"note": ""})
        assert not ListingIntent.objects.exists()
        client.post(f"/market/listings/{listing.pk}/intent/", {"organisation_id": enterprise.pk})
    assert ListingIntent.objects.get().organisation == enterprise


def test_it_refuses_an_organisation_the_person_does_not_belong_to(
    enterprise_user, enterprise, listing, broker
):
    other = broker.memberships.get().organisation
    with pytest.raises(DomainError) as caught:
        services.register_intent(
            actor=enterprise_user, listing_id=listing.pk, organisation_id=other.pk, now=NOW
        )
    assert caught.value.code == "forbidden"


def test_a_bid_goes_to_the_paddle_the_form_names(client, enterprise_user, enterprise, second_org, auction):
    """Finding 1: a person of two organisations bids under the paddle they choose, never 'the first'."""
    from datetime import timedelta

    from zhouqiao.market.models import AuctionEvent
    from zhouqiao.market.states import EventKind

    for org in (enterprise, second_org):
        services.register_bidder(
            actor=enterprise_user,
            auction_id=auction.pk,
            organisation_id=org.pk,
            now=NOW - timedelta(minutes=90),
        )
    client.force_login(enterprise_user)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/market/auctions/{auction.pk}/").content.decode()
        assert page.count('name="organisation_id"') == 2 and "号出价" in page
        client.post(f"/market/auctions/{auction.pk}/bid/", {"amount": "100000", "idempotency_key": "k-none"})
        assert not AuctionEvent.objects.filter(kind=EventKind.BID).exists()
        client.post(
            f"/market/auctions/{auction.pk}/bid/",
            {"amount": "100000", "idempotency_key": "k-second", "organisation_id": second_org.pk},
        )
    bid_event = AuctionEvent.objects.get(kind=EventKind.BID)
    assert bid_event.registration.organisation == second_org
