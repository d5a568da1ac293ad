"""Reads for the home page: headline figures and the newest public records of each function.

Read-only and one query per block, through the apps' selectors and public QuerySet methods.

The home page is the busiest page, and most of it is the same for every visitor: the headline
figures (public facts) for everyone, and the record blocks for every visitor who is not signed in.
Those parts are rendered once and kept in Django's cache for :data:`PUBLIC_SECONDS` (per language
and day), so a newly published record or a changed figure shows within that time. A signed-in
user's record blocks are read afresh (they may include what only that user may see).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.catalog import selectors as catalog_selectors
from zhouqiao.catalog.models import Achievement, Demand, RecordStatus
from zhouqiao.contracts.models import Contract
from zhouqiao.core.models import KeyIndustry
from zhouqiao.core.money import WAN, YI, format_yuan
from zhouqiao.facilities import selectors as facilities_selectors
from zhouqiao.facilities.models import Instrument
from zhouqiao.market import selectors as market_selectors
from zhouqiao.policy import describe, engine


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url_name: str = ""


def headline_amount(amount) -> str:
    """A large total as a headline reads it: 1.23亿元, 456.78万元 (rounded), smaller ones in yuan."""
    amount = Decimal(amount or 0)
    if abs(amount) >= YI:
        amount = (amount / 1_000_000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1_000_000
    elif abs(amount) >= WAN:
        amount = (amount / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 100
    return format_yuan(amount)


def headline_figures(*, today: dt.date) -> list[Figure]:
    """Counts and amounts computed from the records (public facts, the same for every visitor)."""
    contracts = (
        Contract.objects.registered()
        .filter(registered_at__year=today.year)
        .aggregate(n=Count("pk"), amount=Sum("contract_amount"))
    )
    open_demand = Q(deadline__isnull=True) | Q(deadline__gte=today)
    return [
        Figure(
            _("已发布科技成果"),
            _("%(n)s项") % {"n": Achievement.objects.filter(status=RecordStatus.PUBLISHED).count()},
            "catalog:achievement_list",
        ),
        Figure(
            _("征集中的技术需求"),
            _("%(n)s项") % {"n": Demand.objects.filter(open_demand, status=RecordStatus.PUBLISHED).count()},
            "catalog:demand_list",
        ),
        Figure(
            _("%(year)s年登记技术合同成交额") % {"year": today.year},
            headline_amount(contracts["amount"]),
        ),
        Figure(_("%(year)s年登记技术合同") % {"year": today.year}, _("%(n)s份") % {"n": contracts["n"]}),
        Figure(
            _("认证机构"),
            _("%(n)s家") % {"n": Organisation.objects.verified().count()},
            "web:organisations",
        ),
        Figure(
            _("开放共享仪器"),
            _("%(n)s台（套）") % {"n": Instrument.objects.listed().count()},
            "facilities:index",
        ),
    ]


def upcoming_auctions(user, *, now, limit: int = 4) -> list:
    """Auctions live now or still to come, soonest first; each marked ``live``."""
    auctions = list(
        market_selectors.auctions_open(user).filter(ends_at__gt=now).order_by("starts_at", "pk")[:limit]
    )
    for auction in auctions:
        auction.live = auction.is_live(now)
    return auctions


def listings_in_notice(user, *, limit: int = 4):
    return market_selectors.listings_in_notice(user).order_by("-notice_starts_at", "-pk")[:limit]


def newest_instruments(user, *, limit: int = 4):
    return facilities_selectors.registry(user).filter(is_listed=True).order_by("-created_at", "-pk")[:limit]


@dataclass(frozen=True)
class PolicyLine:
    title: str
    citation: str
    code: str
    automatic: bool


def policy_rules(*, today: dt.date, limit: int = 6) -> list[PolicyLine]:
    """Clauses in force today, cited by document and article (the code only as a small reference)."""
    lines = []
    for rule in engine.all_rules():
        if not rule.valid_on(today):
            continue
        cited = describe.cite(rule.clause)
        lines.append(PolicyLine(rule.title, cited.text, cited.code, rule.automatic))
        if len(lines) == limit:
            break
    return lines


# Seconds the parts shown alike to every visitor are kept (a newly published record shows within it).
PUBLIC_SECONDS = 30


def _kept(name: str, build, *, today: dt.date) -> str:
    key = f"zhouqiao:home:{name}:{translation.get_language()}:{today.isoformat()}"
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, PUBLIC_SECONDS)
    return html


def figures_html(*, today: dt.date) -> str:
    """The headline figures (the same for everyone), rendered, kept :data:`PUBLIC_SECONDS`."""

    def build():
        return render_to_string("web/partials/home_figures.html", {"figures": headline_figures(today=today)})

    return _kept("figures", build, today=today)


def blocks_html(user, *, today: dt.date, now) -> str:
    """The newest records of each function as ``user`` may see them, rendered; kept
    :data:`PUBLIC_SECONDS` for visitors who are not signed in (they all see the same)."""

    def build():
        context = {
            "newest_achievements": catalog_selectors.achievements_for(user)
            .prefetch_related(None)
            .order_by("-published_at", "-pk")[:6],
            "newest_demands": catalog_selectors.demands_for(user)
            .prefetch_related(None)
            .order_by("-published_at", "-pk")[:6],
            "auctions": upcoming_auctions(user, now=now),
            "listings": listings_in_notice(user),
            "instruments": newest_instruments(user),
            "policies": policy_rules(today=today),
            "key_industries": KeyIndustry.objects.all(),
        }
        return render_to_string("web/partials/home_blocks.html", context)

    if getattr(user, "is_authenticated", False):
        return build()
    return _kept("blocks", build, today=today)
