"""API shapes of the market. Amounts are strings (yuan, two decimals)."""

from datetime import datetime
from decimal import Decimal

from ninja import Schema

from zhouqiao.core.bounds import Amount, OptionalAmount


class BidIn(Schema):
    amount: Amount
    organisation_id: int | None = None


class BidOut(Schema):
    seq: int
    auction_id: int
    amount: str
    paddle: int | None
    at: datetime
    hash: str
    prev_hash: str


class AuctionOut(Schema):
    id: int
    title: str
    status: str
    status_display: str
    achievement_id: int
    listing_id: int | None
    seller_name: str
    region_code: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    scheduled_end_at: datetime
    starting_price: str
    reserve_price: str | None
    increment: str
    deposit_amount: str
    current_price: str | None
    minimum_bid: str
    bid_count: int
    leading_paddle: int | None
    is_live: bool
    chain_length: int
    head_hash: str
    final_hash: str
    server_time: datetime


class AuctionIn(Schema):
    achievement_id: int
    mode: str
    starts_at: datetime
    ends_at: datetime
    starting_price: Amount
    reserve_price: Amount
    increment: Amount
    deposit_amount: Amount = Decimal("0.00")
    terms: str = ""
    title: str = ""


class RegistrationIn(Schema):
    organisation_id: int | None = None


class RegistrationOut(Schema):
    id: int
    auction_id: int
    organisation_id: int
    organisation_name: str
    deposit_amount: str
    deposit_status: str
    paddle: int | None


class DepositIn(Schema):
    reference: str


class VerifyOut(Schema):
    auction_id: int
    intact: bool
    length: int
    head_hash: str
    final_hash: str
    broken_at: int | None
    problems: list[str]


class ListingIn(Schema):
    achievement_id: int
    price: Amount
    mode: str
    terms: str = ""
    on_no_intent: str = "withdraw"
    auction_increment: OptionalAmount = None
    auction_deposit: OptionalAmount = None


class ListingOut(Schema):
    id: int
    title: str
    achievement_id: int
    seller_name: str
    region_code: str
    price: str
    mode: str
    status: str
    status_display: str
    notice_working_days: int
    notice_starts_at: datetime
    notice_ends_at: datetime
    intent_count: int
    auction_id: int | None
    deal_id: int | None


class IntentIn(Schema):
    organisation_id: int | None = None
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


class NegotiationIn(Schema):
    achievement_id: int | None = None
    demand_id: int | None = None
    organisation_id: int | None = None
    message: str = ""


class EntryOut(Schema):
    id: int
    kind: str
    organisation_name: str
    author: str
    body: str
    amount: str | None
    mode: str
    terms: str
    created_at: datetime


class NegotiationOut(Schema):
    id: int
    title: str
    status: str
    seller_name: str
    buyer_name: str
    broker_name: str | None
    broker_accepted: bool = False  # invited until the intermediary accepts
    achievement_id: int | None
    demand_id: int | None
    entries: list[EntryOut]
    deal_id: int | None


class MessageIn(Schema):
    body: str


class OfferIn(Schema):
    amount: Amount
    mode: str
    terms: str = ""


class AcceptIn(Schema):
    offer_id: int


class InviteIn(Schema):
    broker_id: int


class DealOut(Schema):
    id: int
    source: str
    title: str
    seller_name: str
    buyer_name: str
    broker_name: str | None
    amount: str
    mode: str
    terms: str
    agreed_at: datetime
    achievement_id: int | None
    demand_id: int | None
    contract_id: int | None
