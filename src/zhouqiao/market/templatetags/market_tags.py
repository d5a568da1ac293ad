"""Market facts shown on other apps' pages (the market owns listings and auctions)."""

from django import template

from zhouqiao.market.models import Auction, Listing
from zhouqiao.market.states import AuctionStatus, ListingStatus

register = template.Library()


@register.inclusion_tag("market/_achievement_market.html")
def achievement_market(achievement_id):
    """The open listing (挂牌, in its notice period) and the scheduled auction (竞价) of an
    achievement, with their prices and links: the achievement page then agrees with the listing."""
    return {
        "listings": list(
            Listing.objects.filter(achievement_id=achievement_id, status=ListingStatus.NOTICE).order_by(
                "-pk"
            )[:3]
        ),
        "auctions": list(
            Auction.objects.filter(achievement_id=achievement_id, status=AuctionStatus.SCHEDULED).order_by(
                "-pk"
            )[:3]
        ),
    }
