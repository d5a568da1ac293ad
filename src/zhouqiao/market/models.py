"""Technology market (科技大市场): negotiations (撮合), listings (挂牌), auctions (拍卖) and deals.

A lot is a published achievement (or, for a negotiation, a published demand). Every market record
carries the lot's ``region``: staff oversee the market of their jurisdiction's subtree (a county
market is a sub-market of its city and province, 004 §6), through :mod:`zhouqiao.accounts.scope`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation
from zhouqiao.catalog.models import Achievement, Demand, TransferMode
from zhouqiao.core.models import Region
from zhouqiao.core.money import MoneyField
from zhouqiao.market.states import (
    AuctionStatus,
    DealSource,
    DepositStatus,
    EntryKind,
    EventKind,
    ListingStatus,
    NegotiationStatus,
    NoIntentAction,
)


def _known(field: str, choices, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class MarketRules(models.Model):
    """Rules of one sub-market (a province, city or county). A region without its own rules uses
    its nearest ancestor's, then the defaults in :mod:`zhouqiao.market.rules`."""

    region = models.OneToOneField(
        Region, primary_key=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("市场所在地区")
    )
    notice_working_days = models.PositiveSmallIntegerField(_("挂牌公示期（工作日）"), null=True, blank=True)
    extension_window_minutes = models.PositiveSmallIntegerField(
        _("延时触发时段（结束前分钟数）"), null=True, blank=True
    )
    extension_minutes = models.PositiveSmallIntegerField(_("每次延时（分钟）"), null=True, blank=True)

    class Meta:
        verbose_name = _("分市场交易规则")
        verbose_name_plural = _("分市场交易规则")

    def __str__(self) -> str:
        return str(self.region)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday (``is_workday`` false) or a
    weekend day worked in lieu (调休, ``is_workday`` true). Maintained by the market operator."""

    date = models.DateField(_("日期"), primary_key=True)
    is_workday = models.BooleanField(_("是否工作日"), default=False)
    name = models.CharField(_("说明"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class MarketQuerySet(models.QuerySet):
    def in_jurisdiction(self, user):
        return self.filter(scope.region_q(user, "region"))


# --- Negotiation (撮合) ------------------------------------------------------------------------


class NegotiationQuerySet(MarketQuerySet):
    def visible_to(self, user):
        """The two sides, the invited intermediary, and staff of the lot's region."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        own = scope.organisation_ids(user)
        query = Q(seller_id__in=own) | Q(buyer_id__in=own) | Q(broker_id__in=own)
        return self.filter(query | scope.region_q(user, "region"))


class Negotiation(models.Model):
    achievement = models.ForeignKey(
        Achievement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("科技成果"),
    )
    demand = models.ForeignKey(
        Demand, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("技术需求")
    )
    seller = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("卖方")
    )
    buyer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("买方")
    )
    initiator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起方")
    )
    broker = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("中介方（技术转移机构）"),
    )
    # An invited intermediary is only invited until its administrator or one of its brokers accepts
    # (a declined one is cleared); only an accepted one is carried to the deal and the contract.
    broker_accepted_at = models.DateTimeField(_("中介方接受邀请时间"), null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    title = models.CharField(_("洽谈事项"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=NegotiationStatus.choices, default=NegotiationStatus.OPEN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发起时间"))
    updated_at = models.DateTimeField(_("最后更新"))

    objects = NegotiationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("撮合洽谈")
        verbose_name_plural = _("撮合洽谈")
        constraints = [
            _known("status", NegotiationStatus, "negotiation_status_known"),
            models.CheckConstraint(
                condition=Q(achievement__isnull=False, demand__isnull=True)
                | Q(achievement__isnull=True, demand__isnull=False),
                name="negotiation_one_lot",
            ),
            models.CheckConstraint(condition=~Q(seller=models.F("buyer")), name="negotiation_parties_differ"),
            models.UniqueConstraint(
                fields=["achievement", "buyer"],
                condition=Q(status="open"),
                name="negotiation_one_open_per_achievement_buyer",
            ),
            models.UniqueConstraint(
                fields=["demand", "seller"],
                condition=Q(status="open"),
                name="negotiation_one_open_per_demand_seller",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def side_of(self, organisation_id) -> str:
        if organisation_id == self.seller_id:
            return "seller"
        if organisation_id == self.buyer_id:
            return "buyer"
        if organisation_id == self.broker_id:
            return "broker"
        return ""

    @property
    def broker_accepted(self) -> bool:
        return self.broker_id is not None and self.broker_accepted_at is not None

    @property
    def broker_pending(self) -> bool:
        return self.broker_id is not None and self.broker_accepted_at is None


class NegotiationEntry(models.Model):
    """One line of the thread: a message, an offer (amount, mode, terms), an invitation, the
    acceptance or the closing. Entries are never edited."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("内容"), blank=True)
    amount = MoneyField(_("报价金额（元）"), null=True, blank=True)
    mode = models.CharField(_("转化方式"), max_length=20, choices=TransferMode.choices, blank=True)
    terms = models.TextField(_("主要条款"), blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("洽谈记录")
        verbose_name_plural = _("洽谈记录")
        constraints = [
            _known("kind", EntryKind, "negotiation_entry_kind_known"),
            models.CheckConstraint(
                condition=~Q(kind="offer") | Q(amount__gt=0, mode__gt=""), name="negotiation_offer_complete"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


# --- Listing (挂牌) ----------------------------------------------------------------------------


class ListingQuerySet(MarketQuerySet):
    def public(self):
        return self.exclude(status=ListingStatus.WITHDRAWN)

    def visible_to(self, user):
        """Listings are public notices; a withdrawn one stays visible to its owner and staff."""
        query = ~Q(status=ListingStatus.WITHDRAWN)
        if getattr(user, "is_authenticated", False):
            query |= Q(seller_id__in=scope.organisation_ids(user)) | scope.region_q(user, "region")
        return self.filter(query)


class Listing(models.Model):
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="+", verbose_name=_("科技成果")
    )
    seller = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("挂牌方")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    title = models.CharField(_("挂牌项目"), max_length=200)
    price = MoneyField(_("挂牌价格（元）"))
    mode = models.CharField(_("转化方式"), max_length=20, choices=TransferMode.choices)
    terms = models.TextField(_("交易条件"), blank=True)
    notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    notice_starts_at = models.DateTimeField(_("公示开始"))
    notice_ends_at = models.DateTimeField(_("公示截止"), db_index=True)
    on_no_intent = models.CharField(
        _("期满无意向时"), max_length=10, choices=NoIntentAction.choices, default=NoIntentAction.WITHDRAW
    )
    relist_count = models.PositiveSmallIntegerField(_("重新挂牌次数"), default=0)
    # If two or more organisations register intent, the auction among them uses these.
    auction_increment = MoneyField(_("竞价加价幅度（元）"))
    auction_deposit = MoneyField(_("竞价保证金（元）"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.NOTICE
    )
    status_reason = models.TextField(_("说明"), blank=True)
    concluded_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("挂牌时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("挂牌")
        verbose_name_plural = _("挂牌")
        constraints = [
            _known("status", ListingStatus, "listing_status_known"),
            models.CheckConstraint(
                condition=Q(price__gt=0, auction_increment__gt=0, auction_deposit__gte=0),
                name="listing_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(notice_ends_at__gt=models.F("notice_starts_at")), name="listing_notice_ordered"
            ),
            models.UniqueConstraint(
                fields=["achievement"],
                condition=Q(status="notice"),
                name="listing_one_active_per_achievement",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ListingIntent(models.Model):
    """An intending buyer (意向受让方) registered during the notice period."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="intents")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("意向受让方")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("登记时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("受让意向")
        verbose_name_plural = _("受让意向")
        constraints = [models.UniqueConstraint(fields=["listing", "organisation"], name="intent_once")]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.listing}"


# --- Auction (拍卖) ----------------------------------------------------------------------------


class AuctionQuerySet(MarketQuerySet):
    def visible_to(self, user):
        """Auctions are public; a cancelled one stays visible to its seller and staff."""
        query = ~Q(status=AuctionStatus.CANCELLED)
        if getattr(user, "is_authenticated", False):
            query |= Q(seller_id__in=scope.organisation_ids(user)) | scope.region_q(user, "region")
        return self.filter(query)

    def due_for_closing(self, now):
        return self.filter(status=AuctionStatus.SCHEDULED, ends_at__lte=now)


class Auction(models.Model):
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="+", verbose_name=_("科技成果")
    )
    seller = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("委托方")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    listing = models.OneToOneField(
        Listing,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="auction",
        verbose_name=_("来源挂牌"),
    )
    title = models.CharField(_("拍卖标的"), max_length=200)
    mode = models.CharField(_("转化方式"), max_length=20, choices=TransferMode.choices)
    terms = models.TextField(_("竞买须知与交易条件"), blank=True)
    starts_at = models.DateTimeField(_("竞价开始"))
    ends_at = models.DateTimeField(_("竞价结束"), db_index=True)
    scheduled_end_at = models.DateTimeField(_("原定结束时间"))
    starting_price = MoneyField(_("起拍价（元）"))
    reserve_price = MoneyField(_("保留价（元）"))
    # Random salt of the reserve price's commitment in the first chain record; revealed at the close.
    reserve_salt = models.CharField(max_length=32, blank=True)
    increment = MoneyField(_("加价幅度（元）"))
    deposit_amount = MoneyField(_("保证金（元）"))
    extension_window_minutes = models.PositiveSmallIntegerField(_("延时触发时段（分钟）"))
    extension_minutes = models.PositiveSmallIntegerField(_("每次延时（分钟）"))
    # Only the intending buyers of the listing may register (an auction among them).
    restricted = models.BooleanField(_("仅限意向受让方竞买"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=AuctionStatus.choices, default=AuctionStatus.SCHEDULED
    )
    status_reason = models.TextField(_("说明"), blank=True)
    current_price = MoneyField(_("当前价（元）"), null=True, blank=True)
    # Not indexed: every accepted bid writes it, and an index on it would make every bid a non-HOT
    # update that adds an entry to each index of this table. Nothing looks auctions up by it.
    leading = models.ForeignKey(
        "AuctionRegistration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
        verbose_name=_("当前领先"),
    )
    bid_count = models.PositiveIntegerField(_("出价次数"), default=0)
    # Head of the hash chain: the last record's sequence number and hash.
    chain_length = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)
    final_hash = models.CharField(_("结束时的记录哈希"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("结束处理时间"), null=True, blank=True)
    next_paddle = models.PositiveIntegerField(default=1)
    # Empty for an auction the scheduler created from a listing.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = AuctionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("拍卖")
        verbose_name_plural = _("拍卖")
        constraints = [
            _known("status", AuctionStatus, "auction_status_known"),
            models.CheckConstraint(
                condition=Q(
                    starting_price__gt=0, increment__gt=0, reserve_price__gte=0, deposit_amount__gte=0
                ),
                name="auction_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="auction_times_ordered"
            ),
            models.CheckConstraint(
                condition=Q(current_price__isnull=True) | Q(current_price__gte=models.F("starting_price")),
                name="auction_price_at_least_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_live(self, now) -> bool:
        return self.status == AuctionStatus.SCHEDULED and self.starts_at <= now < self.ends_at

    def minimum_bid(self):
        return self.starting_price if self.current_price is None else self.current_price + self.increment

    @property
    def is_closed(self) -> bool:
        return self.status != AuctionStatus.SCHEDULED


class AuctionRegistration(models.Model):
    """A bidder: an organisation registered for one auction, with its deposit (保证金) and, once the
    deposit is paid, a paddle number (竞买号)."""

    auction = models.ForeignKey(Auction, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("竞买人")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("报名时间"))
    deposit_amount = MoneyField(_("保证金（元）"))
    deposit_status = models.CharField(
        _("保证金状态"), max_length=10, choices=DepositStatus.choices, default=DepositStatus.PENDING
    )
    deposit_reference = models.CharField(_("缴款凭证号"), max_length=64, blank=True)
    deposit_paid_at = models.DateTimeField(_("到账时间"), null=True, blank=True)
    deposit_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deposit_settled_at = models.DateTimeField(_("退还/转付时间"), null=True, blank=True)
    paddle = models.PositiveIntegerField(_("竞买号"), null=True, blank=True)

    class Meta:
        ordering = ["auction", "pk"]
        verbose_name = _("竞买登记")
        verbose_name_plural = _("竞买登记")
        constraints = [
            _known("deposit_status", DepositStatus, "registration_deposit_status_known"),
            models.UniqueConstraint(fields=["auction", "organisation"], name="registration_once"),
            models.UniqueConstraint(
                fields=["auction", "paddle"],
                condition=Q(paddle__isnull=False),
                name="registration_paddle_unique",
            ),
            models.CheckConstraint(
                condition=Q(deposit_status="pending") | Q(paddle__isnull=False),
                name="registration_paid_has_paddle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paddle or '—'} {self.organisation}"


class AuctionEvent(models.Model):
    """One record of an auction's append-only hash chain: ``hash`` is the SHA-256 of the record's
    canonical content, which includes ``prev_hash`` (see :mod:`zhouqiao.market.chain`). Bids are
    records of kind ``bid``. Rows are never updated or deleted."""

    # Looked up through the (auction, seq) index below; its own index would only be written.
    auction = models.ForeignKey(Auction, on_delete=models.PROTECT, related_name="events", db_index=False)
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=14, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"))
    registration = models.ForeignKey(
        AuctionRegistration, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    amount = MoneyField(_("金额（元）"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=128, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["auction", "seq", "pk"]
        verbose_name = _("拍卖记录")
        verbose_name_plural = _("拍卖记录")
        constraints = [
            # One record per place in the chain: a write that missed the auction's lock fails
            # instead of forking the chain.
            models.UniqueConstraint(fields=["auction", "seq"], name="auction_event_seq_once"),
            _known("kind", EventKind, "auction_event_kind_known"),
            models.UniqueConstraint(
                fields=["registration", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="bid_idempotency_key_once",
            ),
            models.CheckConstraint(
                condition=~Q(kind="bid") | Q(amount__gt=0, registration__isnull=False),
                name="auction_bid_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("auction records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("auction records are append-only")


class OutbidNotice(models.Model):
    """How far the outbid notices of an auction have got: the sequence number of the last record
    whose bid's displaced bidder has been told (``services.tell_outbid_bidders``). A row of its
    own, so that the job never writes the auction row that every bid updates."""

    auction = models.OneToOneField(Auction, primary_key=True, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("出价被超过提醒进度")
        verbose_name_plural = _("出价被超过提醒进度")

    def __str__(self) -> str:
        return f"{self.auction_id}:{self.seq}"


# --- Deal (交易) -------------------------------------------------------------------------------


class DealQuerySet(MarketQuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        own = scope.organisation_ids(user)
        query = Q(seller_id__in=own) | Q(buyer_id__in=own) | Q(broker_id__in=own)
        return self.filter(query | scope.region_q(user, "region"))

    def announced(self):
        """Deals reached in public procedures (listing, auction) are announced (成交公告)."""
        return self.filter(source__in=[DealSource.LISTING, DealSource.AUCTION])


class Deal(models.Model):
    source = models.CharField(_("交易方式"), max_length=12, choices=DealSource.choices)
    title = models.CharField(_("交易项目"), max_length=200)
    achievement = models.ForeignKey(
        Achievement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("科技成果"),
    )
    demand = models.ForeignKey(
        Demand, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("技术需求")
    )
    seller = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("卖方")
    )
    buyer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("买方")
    )
    broker = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("中介方（技术转移机构）"),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    amount = MoneyField(_("成交金额（元）"))
    mode = models.CharField(_("转化方式"), max_length=20, choices=TransferMode.choices)
    terms = models.TextField(_("主要条款"), blank=True)
    negotiation = models.OneToOneField(
        Negotiation, null=True, blank=True, on_delete=models.PROTECT, related_name="deal"
    )
    listing = models.OneToOneField(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="deal"
    )
    auction = models.OneToOneField(
        Auction, null=True, blank=True, on_delete=models.PROTECT, related_name="deal"
    )
    agreed_at = models.DateTimeField(_("成交时间"))
    contract_id = models.PositiveBigIntegerField(_("合同草稿"), null=True, blank=True)
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-agreed_at", "-pk"]
        verbose_name = _("交易")
        verbose_name_plural = _("交易")
        constraints = [
            _known("source", DealSource, "deal_source_known"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="deal_amount_positive"),
            models.CheckConstraint(condition=~Q(seller=models.F("buyer")), name="deal_parties_differ"),
            models.CheckConstraint(
                condition=(
                    Q(
                        source="negotiation",
                        negotiation__isnull=False,
                        listing__isnull=True,
                        auction__isnull=True,
                    )
                    | Q(
                        source="listing",
                        listing__isnull=False,
                        negotiation__isnull=True,
                        auction__isnull=True,
                    )
                    | Q(source="auction", auction__isnull=False, negotiation__isnull=True)
                ),
                name="deal_source_matches_origin",
            ),
        ]

    def __str__(self) -> str:
        return self.title
