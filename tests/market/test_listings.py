"""Listing: notice period in working days, intents, and the three endings."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrganisationFactory, member_of
from tests.market.conftest import NOW
from zhouqiao.core.errors import DomainError
from zhouqiao.market import rules, services
from zhouqiao.market.models import Auction, CalendarDay, Deal, Listing, MarketRules
from zhouqiao.market.states import AuctionStatus, DealSource, DepositStatus, ListingStatus

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _list(user, achievement, **extra):
    values = {"price": "300000", "mode": "transfer", "now": NOW}
    values.update(extra)
    return services.create_listing(actor=user, achievement_id=achievement.pk, **values)


def test_the_notice_period_counts_twenty_working_days_by_default(university_user, achievement):
    listing = _list(university_user, achievement)
    # Listed Monday 2 March 2026: 20 working days from Tuesday 3 March end on Monday 30 March.
    assert listing.notice_working_days == 20
    assert listing.notice_ends_at == datetime(2026, 3, 31, tzinfo=TZ)
    assert listing.auction_increment == Decimal("3000.00") and listing.auction_deposit == Decimal("30000.00")


def test_holidays_and_working_weekends_come_from_the_calendar(reference):
    CalendarDay.objects.create(date=date(2026, 3, 4), is_workday=False, name="测试假日")
    CalendarDay.objects.create(date=date(2026, 3, 7), is_workday=True, name="调休上班")
    # From Monday 2 March: Tue 3, (Wed 4 holiday), Thu 5, Fri 6, Sat 7 (worked) → the 4th is Sat 7.
    assert rules.add_working_days(date(2026, 3, 2), 4) == date(2026, 3, 7)


def test_a_county_market_inherits_its_citys_rules(reference):
    MarketRules.objects.create(region_id="220100", notice_working_days=10, extension_minutes=3)
    MarketRules.objects.create(region_id="220183", extension_window_minutes=2)
    assert rules.notice_working_days("220183") == 10
    assert rules.extension("220183") == (2, 3)
    assert rules.notice_working_days("220204") == 20


def test_it_rejects_listing_someone_elses_or_an_unpublished_achievement(
    enterprise_user, university_user, achievement
):
    with pytest.raises(DomainError) as caught:
        _list(enterprise_user, achievement)
    assert caught.value.code == "forbidden"
    achievement.status = "submitted"
    achievement.save()
    with pytest.raises(DomainError) as caught:
        _list(university_user, achievement)
    assert "已发布" in str(caught.value.message)
    assert not Listing.objects.exists()


def test_it_rejects_intent_from_the_owner_an_unverified_organisation_and_after_the_notice(
    university_user, enterprise_user, achievement, reference
):
    listing = _list(university_user, achievement)
    with pytest.raises(DomainError) as own:
        services.register_intent(actor=university_user, listing_id=listing.pk, now=NOW)
    pending = member_of(OrganisationFactory(submitted=True), username="pending")
    with pytest.raises(DomainError) as unverified:
        services.register_intent(actor=pending, listing_id=listing.pk, now=NOW)
    with pytest.raises(DomainError) as late:
        services.register_intent(actor=enterprise_user, listing_id=listing.pk, now=listing.notice_ends_at)
    assert (own.value.code, unverified.value.code, late.value.code) == (
        "own_lot",
        "not_verified",
        "notice_over",
    )
    assert listing.intents.count() == 0


def test_no_intent_closes_the_listing_or_relists_it(university_user, achievement, reference):
    listing = _list(university_user, achievement)
    services.conclude_due_listings(now=listing.notice_ends_at)
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.UNSOLD
    relisting = _list(university_user, achievement, on_no_intent="relist", now=listing.notice_ends_at)
    end = relisting.notice_ends_at
    services.conclude_due_listings(now=end)
    relisting.refresh_from_db()
    assert relisting.status == ListingStatus.NOTICE and relisting.relist_count == 1
    assert relisting.notice_starts_at == end and relisting.notice_ends_at > end


def test_one_intent_makes_a_deal_at_the_listing_price(
    university_user, enterprise_user, enterprise, achievement, django_capture_on_commit_callbacks
):
    listing = _list(university_user, achievement)
    services.register_intent(actor=enterprise_user, listing_id=listing.pk, now=NOW)
    assert (
        services.conclude_listing(listing_id=listing.pk, now=NOW).status == ListingStatus.NOTICE
    )  # too early
    with django_capture_on_commit_callbacks(execute=True):
        services.conclude_due_listings(now=listing.notice_ends_at)
    deal = Deal.objects.get(listing=listing)
    assert (deal.source, deal.amount, deal.buyer_id) == (
        DealSource.LISTING,
        Decimal("300000.00"),
        enterprise.pk,
    )
    assert services.conclude_due_listings(now=listing.notice_ends_at + timedelta(days=1)) == []
    assert Deal.objects.count() == 1
    from zhouqiao.contracts.models import Contract

    contract = Contract.objects.get(pk=deal.contract_id)
    assert contract.source_deal_id == deal.pk and contract.contract_amount == deal.amount
    assert contract.buyer_id == enterprise.pk and contract.contract_type == "transfer"


def test_two_intents_go_to_an_auction_among_them(university_user, enterprise_user, bidder_b, achievement):
    listing = _list(university_user, achievement)
    services.register_intent(actor=enterprise_user, listing_id=listing.pk, now=NOW)
    services.register_intent(actor=bidder_b, listing_id=listing.pk, now=NOW)
    services.conclude_due_listings(now=listing.notice_ends_at)
    listing.refresh_from_db()
    auction = Auction.objects.get(listing=listing)
    assert listing.status == ListingStatus.TO_AUCTION and auction.status == AuctionStatus.SCHEDULED
    assert auction.starting_price == auction.reserve_price == listing.price and auction.restricted
    assert auction.starts_at > listing.notice_ends_at
    assert sorted(r.deposit_status for r in auction.registrations.all()) == [DepositStatus.PENDING] * 2
    outsider = member_of(OrganisationFactory(region_id="220104"), username="outsider")
    with pytest.raises(DomainError) as caught:
        services.register_bidder(actor=outsider, auction_id=auction.pk, now=listing.notice_ends_at)
    assert caught.value.code == "not_intending_buyer"
