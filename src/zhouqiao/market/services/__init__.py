"""Every write of the technology market (see each module): keyword-only arguments, ``actor`` and
``now``; one durable transaction that owns its locks and audit records."""

from zhouqiao.market.services.auctions import (
    cancel_auction,
    close_auction,
    close_due_auctions,
    confirm_deposit_from_gateway,
    create_auction,
    place_bid,
    record_deposit,
    register_bidder,
    reschedule_auction,
    tell_outbid_bidders,
)
from zhouqiao.market.services.deals import draft_contract
from zhouqiao.market.services.listings import (
    conclude_due_listings,
    conclude_listing,
    create_listing,
    register_intent,
    withdraw_intent,
    withdraw_listing,
)
from zhouqiao.market.services.negotiations import (
    accept_offer,
    answer_broker_invitation,
    close_negotiation,
    invite_broker,
    make_offer,
    open_negotiation,
    post_message,
    withdraw_broker_invitation,
)

__all__ = [
    "accept_offer",
    "answer_broker_invitation",
    "cancel_auction",
    "close_auction",
    "close_due_auctions",
    "close_negotiation",
    "conclude_due_listings",
    "conclude_listing",
    "confirm_deposit_from_gateway",
    "create_auction",
    "create_listing",
    "draft_contract",
    "invite_broker",
    "make_offer",
    "open_negotiation",
    "place_bid",
    "post_message",
    "record_deposit",
    "register_bidder",
    "register_intent",
    "reschedule_auction",
    "tell_outbid_bidders",
    "withdraw_broker_invitation",
    "withdraw_intent",
    "withdraw_listing",
]
