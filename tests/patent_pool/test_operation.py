"""The pool's upkeep and operation: annual fees, the catalog record, the market listing, proceeds."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.patent_pool.conftest import TODAY
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.market.models import Deal, Listing
from zhouqiao.notifications.models import Notification
from zhouqiao.programs.patent_pool import services, todos
from zhouqiao.programs.patent_pool.models import AnnualFee, Proceeds
from zhouqiao.programs.patent_pool.states import PoolStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def pooled(owner_user, patent, officer, now):
    case = services.offer_patent(actor=owner_user, patent_id=patent.pk, reason="拟放弃", now=now)
    return services.acquire(actor=officer, case_id=case.pk, price="20000", reason="具备产业化前景", now=now)


def test_the_fee_schedule_starts_on_the_next_filing_anniversary(pooled, officer, now):
    # Filed on 15 March: the next anniversary after 7 December 2026 is 15 March 2027.
    assert services.next_anniversary(pooled.patent, TODAY) == dt.date(2027, 3, 15)
    fee = services.schedule_fee(actor=officer, pooled_id=pooled.pk, amount="1200", now=now)
    assert fee.due_on == dt.date(2027, 3, 15) and fee.amount == Decimal("1200.00")
    # Not yet within 30 days: no to-do.
    assert list(todos.fees_due(officer)) == []


def test_it_rejects_a_fee_date_in_the_past_and_writes_nothing(pooled, officer, now):
    with pytest.raises(ValidationFailed) as exc:
        services.schedule_fee(actor=officer, pooled_id=pooled.pk, amount="1200", due_on="2026-12-01", now=now)
    assert "不能早于今天" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        services.schedule_fee(actor=officer, pooled_id=pooled.pk, amount="-1", now=now)
    with pytest.raises(ValidationFailed):
        services.schedule_fee(actor=officer, pooled_id=pooled.pk, amount="0", now=now)
    assert not AnnualFee.objects.exists()


def test_a_fee_due_within_thirty_days_is_a_todo_and_paying_schedules_the_next_year(
    pooled, officer, other_officer, now, time_machine
):
    time_machine.move_to(now)
    fee = services.schedule_fee(
        actor=officer, pooled_id=pooled.pk, amount="900", due_on=TODAY + dt.timedelta(days=20), now=now
    )
    assert [t.title for t in todos.fees_due(officer)] == [pooled.patent.title]
    assert list(todos.fees_due(other_officer)) == []
    assert services.check_patents(now=now)["fee_reminders"] == 1
    assert Notification.objects.filter(user=officer, kind=todos.FEE_DUE).count() == 1
    with pytest.raises(Conflict):
        services.schedule_fee(actor=officer, pooled_id=pooled.pk, amount="900", now=now)
    with pytest.raises(PermissionDenied):
        services.record_fee_payment(actor=other_officer, fee_id=fee.pk, paid_on=TODAY, now=now)
    services.record_fee_payment(actor=officer, fee_id=fee.pk, paid_on=TODAY, reference="JF2026001", now=now)
    fee.refresh_from_db()
    assert fee.paid_amount == Decimal("900.00")
    following = AnnualFee.objects.get(pooled=pooled, paid_on__isnull=True)
    assert following.due_on == fee.due_on.replace(year=fee.due_on.year + 1)
    assert list(todos.fees_due(officer)) == []
    with pytest.raises(InvalidTransition):
        services.record_fee_payment(actor=officer, fee_id=fee.pk, paid_on=TODAY, now=now)


def test_listing_goes_through_the_catalog_and_the_market(pooled, reviewing_officer, bureau, now):
    pooled = services.prepare_market_record(
        actor=reviewing_officer, pooled_id=pooled.pk, licence_terms="普通许可，年许可费面议", now=now
    )
    achievement = pooled.achievement
    assert achievement.owner == bureau and achievement.status == RecordStatus.PUBLISHED
    assert achievement.ip_items.get().number == pooled.patent.number
    pooled = services.list_on_market(
        actor=reviewing_officer, pooled_id=pooled.pk, price="80000", mode="licence", now=now
    )
    listing = Listing.objects.get()
    assert pooled.status == PoolStatus.LISTED and pooled.listing == listing
    assert listing.seller == bureau and listing.price == Decimal("80000.00") and listing.mode == "licence"


def test_an_officer_who_is_not_a_reviewer_waits_for_the_catalog_review(pooled, officer, now):
    pooled = services.prepare_market_record(actor=officer, pooled_id=pooled.pk, now=now)
    assert pooled.achievement.status == RecordStatus.SUBMITTED
    with pytest.raises(InvalidTransition) as exc:
        services.list_on_market(actor=officer, pooled_id=pooled.pk, price="80000", now=now)
    assert "审核发布" in str(exc.value.message)
    assert not Listing.objects.exists()


def test_only_members_of_the_pool_holder_put_it_on_the_market(pooled, reference, now):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty

    lone = staff_in("220100", Duty.PROGRAM_OFFICER, Duty.REVIEWER, username="lone_officer")
    with pytest.raises(PermissionDenied):
        services.prepare_market_record(actor=lone, pooled_id=pooled.pk, now=now)
    assert pooled.achievement is None


def test_proceeds_name_their_deal_and_a_licence_keeps_the_patent_available(
    pooled, reviewing_officer, enterprise, now
):
    pooled = services.prepare_market_record(actor=reviewing_officer, pooled_id=pooled.pk, now=now)
    pooled = services.list_on_market(actor=reviewing_officer, pooled_id=pooled.pk, price="80000", now=now)
    with pytest.raises(ValidationFailed) as exc:
        services.record_proceeds(
            actor=reviewing_officer,
            pooled_id=pooled.pk,
            kind="licence",
            amount="80000",
            received_on=TODAY,
            now=now,
        )
    assert "哪份技术合同或哪笔交易" in str(exc.value.message)
    deal = Deal.objects.create(
        source="listing",
        title=pooled.achievement.title,
        achievement=pooled.achievement,
        seller=pooled.pool.holder,
        buyer=enterprise,
        region_id=pooled.achievement.region_id,
        amount=Decimal("80000"),
        mode="licence",
        listing=pooled.listing,
        agreed_at=now,
    )
    for bad in ("-80000", "0", "99999999999999"):
        with pytest.raises(ValidationFailed):
            services.record_proceeds(
                actor=reviewing_officer,
                pooled_id=pooled.pk,
                kind="licence",
                amount=bad,
                received_on=TODAY,
                deal_id=deal.pk,
                now=now,
            )
    assert not Proceeds.objects.exists()
    services.record_proceeds(
        actor=reviewing_officer,
        pooled_id=pooled.pk,
        kind="licence",
        amount="80000",
        received_on=TODAY,
        deal_id=deal.pk,
        now=now,
    )
    pooled.refresh_from_db()
    assert pooled.status == PoolStatus.LICENSED
    assert Proceeds.objects.get().amount == Decimal("80000.00")


def test_the_daily_check_follows_the_listing_back_to_the_pool_or_to_a_licence(
    pooled, reviewing_officer, enterprise, now
):
    from zhouqiao.market.services.listings import withdraw_listing

    pooled = services.prepare_market_record(actor=reviewing_officer, pooled_id=pooled.pk, now=now)
    pooled = services.list_on_market(actor=reviewing_officer, pooled_id=pooled.pk, price="80000", now=now)
    assert services.check_patents(now=now)["market_outcomes"] == 0  # still in its notice period
    withdraw_listing(actor=reviewing_officer, listing_id=pooled.listing_id, reason="调整许可条件", now=now)
    assert services.check_patents(now=now)["market_outcomes"] == 1
    pooled.refresh_from_db()
    assert pooled.status == PoolStatus.HELD
    # Listed again, and this time a licence deal comes of it.
    pooled = services.list_on_market(actor=reviewing_officer, pooled_id=pooled.pk, price="70000", now=now)
    Listing.objects.filter(pk=pooled.listing_id).update(status="sold")
    Deal.objects.create(
        source="listing",
        title=pooled.achievement.title,
        achievement=pooled.achievement,
        seller=pooled.pool.holder,
        buyer=enterprise,
        region_id=pooled.achievement.region_id,
        amount=Decimal("70000"),
        mode="licence",
        listing=pooled.listing,
        agreed_at=now,
    )
    services.check_patents(now=now)
    pooled.refresh_from_db()
    assert pooled.status == PoolStatus.LICENSED


def test_a_pooled_patent_can_go_to_auction_and_back_to_the_pool(pooled, reviewing_officer, client, now):
    from zhouqiao.market.models import Auction
    from zhouqiao.market.services.auctions import cancel_auction

    pooled = services.prepare_market_record(actor=reviewing_officer, pooled_id=pooled.pk, now=now)
    pooled = services.auction_on_market(
        actor=reviewing_officer,
        pooled_id=pooled.pk,
        mode="transfer",
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2),
        starting_price="50000",
        reserve_price="60000",
        increment="1000",
        deposit_amount="5000",
        now=now,
    )
    auction = Auction.objects.get()
    assert (
        pooled.status == PoolStatus.LISTED
        and pooled.auction == auction
        and auction.seller == pooled.pool.holder
    )
    assert "拍卖中，起拍价5万元" in client.get("/programs/patent-pool/").content.decode()
    assert services.check_patents(now=now)["market_outcomes"] == 0
    cancel_auction(actor=reviewing_officer, auction_id=auction.pk, reason="调整拍卖安排", now=now)
    assert services.check_patents(now=now)["market_outcomes"] == 1
    pooled.refresh_from_db()
    assert pooled.status == PoolStatus.HELD
