"""Listing → two intents → auction → deposits → bids → anti-sniping extension → close → deal, in a
real browser against the live server (the server clock runs; the jobs are called with explicit
times, as the scheduler would)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from tests.market.conftest import make_achievement
from zhouqiao.accounts.models import Duty
from zhouqiao.market import services
from zhouqiao.market.models import Auction, Listing

pytestmark = pytest.mark.browser


def log_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("load")


def test_a_listing_with_two_intents_is_auctioned_extended_closed_and_becomes_a_deal(page, reference):
    seller_org = OrganisationFactory(name="吉林测试大学", kind="university", region_id="220104")
    seller = member_of(seller_org, username="seller_u")
    achievement = make_achievement(seller_org, title="玉米秸秆生物降解地膜制备技术")
    buyer_a = member_of(
        OrganisationFactory(name="长春甲企业有限公司", region_id="220106"), username="buyer_a"
    )
    buyer_b = member_of(
        OrganisationFactory(name="长春乙企业有限公司", region_id="220105"), username="buyer_b"
    )
    finance = staff_in("220100", Duty.FINANCE, Duty.REVIEWER, username="cc_finance_b")

    # The owner lists the achievement.
    log_in(page, seller.username, PASSWORD)
    page.goto(f"/market/listings/new/{achievement.pk}/")
    page.fill("#id_price", "200000")
    page.select_option("#id_mode", "transfer")
    page.fill("#id_auction_increment", "10000")
    page.fill("#id_auction_deposit", "20000")
    page.get_by_role("button", name="确认挂牌").click()
    assert "已挂牌" in page.locator(".messages").inner_text()
    listing = Listing.objects.get()
    log_out(page)

    # Two verified enterprises register intent during the notice period.
    for buyer in (buyer_a, buyer_b):
        log_in(page, buyer.username, PASSWORD)
        page.goto(f"/market/listings/{listing.pk}/")
        page.get_by_role("button", name="登记受让意向").click()
        assert "已登记受让意向" in page.locator(".messages").inner_text()
        log_out(page)

    # The notice period ends: two intents → an auction among them. The market staff set it live now.
    services.conclude_due_listings(now=listing.notice_ends_at)
    auction = Auction.objects.get(listing=listing)
    now = timezone.now()
    services.reschedule_auction(
        actor=finance,
        auction_id=auction.pk,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(minutes=3),
        now=now,
    )

    # Finance staff record both deposits; each bidder gets a paddle number.
    log_in(page, finance.username, PASSWORD)
    page.goto(f"/market/auctions/{auction.pk}/")
    for i in range(2):
        page.get_by_placeholder("缴款凭证号").first.fill(f"BANK-{i}")
        page.get_by_role("button", name="登记到账").first.click()
        assert "已发放竞买号" in page.locator(".messages").inner_text()
    log_out(page)

    # Bidder A bids the prefilled minimum (the starting price); a bid inside the last 5 minutes
    # moves the end to 5 minutes after it.
    log_in(page, buyer_a.username, PASSWORD)
    page.goto(f"/market/auctions/{auction.pk}/")
    assert page.locator("#auction-status").inner_text() == "竞价中"
    page.get_by_role("button", name="出价").click()
    assert "出价成功：20万元" in page.locator(".messages").inner_text()
    expect(page.locator("#extended")).to_be_visible()
    extended = Auction.objects.get(pk=auction.pk).ends_at
    assert extended > now + timedelta(minutes=3)
    # A leads and is told so; a further bid of its own is refused in Chinese and changes nothing.
    expect(page.locator("#my-lead")).to_have_text("您当前领先")
    page.fill("#id_amount", "210000")
    page.get_by_role("button", name="出价").click()
    assert "不能连续出价" in page.locator(".messages").inner_text()
    assert page.locator("#current-price").inner_text() == "20万元"
    # Bidder B outbids (through the service, as from another browser); A's page refreshes by itself.
    services.place_bid(
        actor=buyer_b, auction_id=auction.pk, amount="230000", idempotency_key="b-1", now=timezone.now()
    )
    expect(page.locator("#current-price")).to_have_text("23万元", timeout=10_000)
    assert page.locator("#bid-history tbody tr").count() == 2
    assert re.search(r"剩余 \d", page.locator(".countdown").inner_text())
    log_out(page)

    # The close job runs after the (extended) end: sold to B at 230000 yuan, with a deal.
    closed = services.close_due_auctions(
        now=Auction.objects.get(pk=auction.pk).ends_at + timedelta(seconds=1)
    )
    assert closed == [auction.pk]
    log_in(page, buyer_b.username, PASSWORD)
    page.goto(f"/market/auctions/{auction.pk}/")
    assert page.locator("#auction-status").inner_text() == "成交"
    assert len(page.locator("#final-hash").inner_text()) == 64
    page.get_by_role("link", name="查看交易").click()
    facts = page.locator("#deal-facts").inner_text()
    assert "23万元" in facts and "长春乙企业有限公司" in facts and "拍卖" in facts
    assert Auction.objects.get(pk=auction.pk).deal.amount == Decimal("230000.00")
    page.goto(f"/market/auctions/{auction.pk}/record/")
    assert "记录链完整" in page.locator("#chain-verdict").inner_text()
