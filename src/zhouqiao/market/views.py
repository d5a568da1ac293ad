"""Market pages: parse → one service or selector → render. Services take ``clock.now()``."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.catalog import access
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.money import format_yuan
from zhouqiao.market import chain, selectors, services
from zhouqiao.market.forms import (
    BidForm,
    DepositForm,
    InviteForm,
    ListingForm,
    MessageForm,
    OfferForm,
    OpenNegotiationForm,
    ReasonForm,
)
from zhouqiao.market.services.deals import deal_ending
from zhouqiao.market.services.negotiations import (
    ensure_invitation_not_withdrawn,
    latest_offer,
    may_answer_invitation,
    may_withdraw_invitation,
)
from zhouqiao.market.states import AuctionStatus, DepositStatus, ListingStatus, NegotiationStatus
from zhouqiao.ops.ratelimit import ratelimit


def _first_error(form, field: str, default) -> str:
    errors = form.errors.get(field)
    return str(errors[0]) if errors else str(default)


def _run(request, action, success: str, **kwargs) -> bool:
    """Call one service with the signed-in user and the server clock; report the outcome."""
    try:
        action(actor=request.user, now=clock.now(), **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def index(request):
    user = request.user
    return render(
        request,
        "market/index.html",
        {
            "listings": selectors.listings_in_notice(user)[:20],
            "auctions": selectors.auctions_open(user)[:20],
            "recent_auctions": selectors.auctions_recent(user)[:10],
            "announced": selectors.announced_deals()[:10],
            "negotiations": selectors.negotiations_of(user)[:10] if user.is_authenticated else [],
            "deals": selectors.deals_of(user)[:10] if user.is_authenticated else [],
            "is_staff": scope.is_business_staff(user),
            "now": clock.now(),
        },
    )


# --- Listings ----------------------------------------------------------------------------------


def listing_detail(request, pk):
    listing = selectors.listing_for(request.user, pk)
    own = scope.organisation_ids(request.user)
    is_seller = listing.seller_id in own
    now = clock.now()
    intent_orgs = selectors.intent_candidates(request.user, listing, now)
    return render(
        request,
        "market/listing_detail.html",
        {
            "listing": listing,
            "is_seller": is_seller,
            "oversee": selectors.may_oversee(request.user, listing),
            "intents": listing.intents.select_related("organisation").filter(withdrawn_at=None),
            "my_intents": list(
                listing.intents.filter(organisation_id__in=own, withdrawn_at=None).select_related(
                    "organisation"
                )
            ),
            "open_for_intent": listing.status == ListingStatus.NOTICE and now < listing.notice_ends_at,
            "intent_orgs": intent_orgs,
            "may_register_intent": bool(intent_orgs),
            "status_notice": ListingStatus.NOTICE,
            "auction": getattr(listing, "auction", None),
            "deal": getattr(listing, "deal", None) or deal_ending(listing, request.user),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def listing_create(request, achievement_pk):
    achievement = Achievement.objects.filter(
        pk=achievement_pk, owner_id__in=scope.organisation_ids(request.user)
    )
    achievement = achievement.first()
    if achievement is None:
        raise Http404
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.create_listing(
                actor=request.user, achievement_id=achievement.pk, now=clock.now(), **form.cleaned_data
            )
        except DomainError as exc:
            for field, errors in (exc.detail or {}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.detail:
                form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("已挂牌，公示期至 %(end)s。") % {"end": clock.local_date(listing.notice_ends_at)}
            )
            return redirect("market:listing_detail", pk=listing.pk)
    return render(request, "market/listing_form.html", {"form": form, "achievement": achievement})


@login_required
@require_POST
def listing_action(request, pk, action):
    listing = selectors.listing_for(request.user, pk)
    note = request.POST.get("note", "")
    reason = request.POST.get("reason", "")
    # The organisation the person acts for is named in the form (a picker when they have several).
    acting = {"organisation_id": request.POST.get("organisation_id") or None}
    actions = {
        "intent": (services.register_intent, _("已登记受让意向。"), {"note": note, **acting}),
        "withdraw-intent": (services.withdraw_intent, _("已撤回受让意向。"), acting),
        "withdraw": (services.withdraw_listing, _("已撤牌。"), {"reason": reason}),
    }
    if action not in actions:
        raise Http404
    service, success, extra = actions[action]
    _run(request, service, success, listing_id=listing.pk, **extra)
    return redirect("market:listing_detail", pk=listing.pk)


# --- Auctions ----------------------------------------------------------------------------------


def _auction_context(request, auction) -> dict:
    now = clock.now()
    return {
        "auction": auction,
        "now": now,
        "live": auction.is_live(now),
        "show_reserve": selectors.may_see_reserve(request.user, auction),
        "bids": selectors.bids(auction)[:30],
        # The leader is told so (a tester's paddle 1 outbid itself, the page never said it led).
        "my_lead": auction.leading_id is not None
        and auction.leading.organisation_id in scope.organisation_ids(request.user),
    }


def auction_detail(request, pk):
    auction = selectors.auction_for(request.user, pk)
    context = _auction_context(request, auction)
    registrations = selectors.registrations_of(request.user, auction)
    bidder_orgs = selectors.bidder_candidates(request.user, auction, context["now"])
    own = scope.organisation_ids(request.user)
    oversee = selectors.may_oversee(request.user, auction)
    context.update(
        {
            # One bid form per registration of the person's organisations, each naming its
            # organisation (a person who acts for two bids under each paddle separately).
            "my_registrations": [
                (
                    r,
                    BidForm(
                        initial={"idempotency_key": uuid.uuid4().hex, "amount": auction.minimum_bid()},
                        auto_id="id_%s" if i == 0 else f"id_%s_{r.pk}",
                    ),
                )
                for i, r in enumerate(registrations)
            ],
            "my_deposit_applied": any(r.deposit_status == DepositStatus.APPLIED for r in registrations),
            "bidder_orgs": bidder_orgs,
            "is_seller": auction.seller_id in own,
            "oversee": oversee,
            "registrations": auction.registrations.select_related("organisation") if oversee else [],
            "deposit_form": DepositForm(),
            "deal": getattr(auction, "deal", None),
            "may_record_deposits": scope.covers(request.user, auction.region_id, "finance"),
            "may_register": bool(bidder_orgs),
            "deposit_pending": DepositStatus.PENDING,
            "deposit_applied": DepositStatus.APPLIED,
        }
    )
    return render(request, "market/auction_detail.html", context)


def auction_live(request, pk):
    """The part of the auction page that HTMX refreshes every few seconds."""
    auction = selectors.auction_for(request.user, pk)
    return render(request, "market/_auction_live.html", _auction_context(request, auction))


@login_required
@require_POST
@ratelimit("bid")
def auction_bid(request, pk):
    auction = selectors.auction_for(request.user, pk)
    form = BidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form, "amount", _("请填写出价金额。")))
        return redirect("market:auction_detail", pk=auction.pk)
    try:
        event, replayed = services.place_bid(
            actor=request.user,
            auction_id=auction.pk,
            amount=form.cleaned_data["amount"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            organisation_id=request.POST.get("organisation_id") or None,
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("出价成功：%(amount)s（竞买号 %(paddle)s）。")
            % {"amount": format_yuan(event.amount), "paddle": event.data.get("paddle")},
        )
    return redirect("market:auction_detail", pk=auction.pk)


@login_required
@require_POST
def auction_register(request, pk):
    auction = selectors.auction_for(request.user, pk)
    _run(
        request,
        services.register_bidder,
        _("报名成功。"),
        auction_id=auction.pk,
        organisation_id=request.POST.get("organisation_id") or None,
    )
    return redirect("market:auction_detail", pk=auction.pk)


@login_required
@require_POST
def auction_deposit(request, pk, registration_pk):
    auction = selectors.auction_for(request.user, pk)
    if not auction.registrations.filter(pk=registration_pk).exists():
        raise Http404
    _run(
        request,
        services.record_deposit,
        _("保证金已登记到账，已发放竞买号。"),
        registration_id=registration_pk,
        reference=request.POST.get("reference", ""),
    )
    return redirect("market:auction_detail", pk=auction.pk)


def auction_record(request, pk):
    """The whole tamper-evident record, with the verification result."""
    auction = selectors.auction_for(request.user, pk)
    return render(
        request,
        "market/auction_record.html",
        {
            "auction": auction,
            "records": selectors.records(auction).select_related("registration"),
            "verification": chain.verify(auction),
        },
    )


# --- Negotiations ------------------------------------------------------------------------------


@login_required
def negotiation_list(request):
    return render(
        request,
        "market/negotiation_list.html",
        {"negotiations": selectors.negotiations_of(request.user)[:100]},
    )


@login_required
def negotiation_open(request, achievement_pk=None, demand_pk=None):
    """An enterprise asks about an achievement, or a university answers a demand (揭榜)."""
    if achievement_pk is not None:
        lot = Achievement.objects.filter(pk=achievement_pk).select_related("owner").first()
        if lot is not None and not access.may_see_achievement(request.user, lot):
            lot = None
    else:
        lot = Demand.objects.filter(pk=demand_pk).select_related("owner").first()
        if lot is not None and access.demand_access(request.user, lot) != access.FULL:
            lot = None
    if lot is None:
        raise Http404
    form = OpenNegotiationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            negotiation = services.open_negotiation(
                actor=request.user,
                achievement_id=achievement_pk,
                demand_id=demand_pk,
                organisation_id=request.POST.get("organisation_id") or None,
                message=form.cleaned_data["message"],
                now=clock.now(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("已发起洽谈，%(other)s会收到通知；对方的留言和报价将显示在本页。")
                % {"other": lot.owner.name},
            )
            return redirect("market:negotiation_detail", pk=negotiation.pk)
    return render(
        request,
        "market/negotiation_open.html",
        {
            "form": form,
            "lot": lot,
            "answering_demand": demand_pk is not None,
            "acting_orgs": selectors.negotiation_candidates(request.user, lot),
        },
    )


@login_required
def negotiation_detail(request, pk):
    return _negotiation_page(request, selectors.negotiation_for(request.user, pk))


def _broker_choices():
    """Transfer institutions with at least one certified broker (not testing labs or other
    service providers): whom the parties may invite as 中介方."""
    from zhouqiao.community.institutions.models import Broker

    certified = Broker.objects.certified().values("organisation_id")
    return [
        (o.pk, o.name)
        for o in Organisation.objects.verified()
        .filter(kind=OrganisationKind.TRANSFER_INSTITUTION, pk__in=certified)
        .order_by("name")
    ]


def _offer_initial(negotiation, offer) -> dict:
    """The mode the offer form preselects: the latest offer's, else the lot's when it names exactly
    one (an achievement's 转化方式, a demand's 合作方式); otherwise none, and the form asks."""
    if offer is not None:
        return {"mode": offer.mode}
    from zhouqiao.catalog.models import unpack_modes

    lot = negotiation.achievement if negotiation.achievement_id else negotiation.demand
    packed = getattr(lot, "transfer_modes", None) or getattr(lot, "cooperation_modes", "") or ""
    modes = unpack_modes(packed)
    return {"mode": modes[0]} if len(modes) == 1 else {}


def _negotiation_page(request, negotiation, *, offer_form=None, status=200):
    own = scope.organisation_ids(request.user)
    side = next(
        (
            negotiation.side_of(o)
            for o in (negotiation.seller_id, negotiation.buyer_id, negotiation.broker_id)
            if o in own
        ),
        "",
    )
    offer = latest_offer(negotiation)
    my_org = negotiation.seller_id if side == "seller" else negotiation.buyer_id if side == "buyer" else None
    invite_form = InviteForm()
    invite_form.fields["broker_id"].widget.choices = _broker_choices()
    return render(
        request,
        "market/negotiation_detail.html",
        {
            "negotiation": negotiation,
            "side": side,
            "is_open": negotiation.status == NegotiationStatus.OPEN,
            "entries": negotiation.entries.select_related("organisation", "author"),
            "offer": offer,
            "may_accept": offer is not None
            and side in ("seller", "buyer")
            and offer.organisation_id != my_org,
            "message_form": MessageForm(),
            "offer_form": offer_form or OfferForm(initial=_offer_initial(negotiation, offer)),
            "invite_form": invite_form,
            "reason_form": ReasonForm(),
            "deal": getattr(negotiation, "deal", None),
            "transfer_institution_kind": OrganisationKind.TRANSFER_INSTITUTION,
            "may_answer_invitation": negotiation.status == NegotiationStatus.OPEN
            and negotiation.broker_pending
            and may_answer_invitation(request.user, negotiation.broker_id),
            "may_withdraw_invitation": may_withdraw_invitation(request.user, negotiation),
        },
        status=status,
    )


@login_required
@require_POST
def negotiation_action(request, pk, action):
    if action in ("broker_accept", "broker_decline"):
        # An invitation withdrawn while its page was open: the intermediary no longer sees the
        # thread, so it is told why here rather than shown a missing page.
        try:
            ensure_invitation_not_withdrawn(request.user, pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("notifications:todo")
    negotiation = selectors.negotiation_for(request.user, pk)
    post = request.POST
    actions = {
        "message": (services.post_message, _("已发送。"), {"body": post.get("body", "")}),
        "accept": (
            services.accept_offer,
            _("已接受报价，交易达成。"),
            {"offer_id": post.get("offer_id") or 0},
        ),
        "invite": (
            services.invite_broker,
            _("已发出中介邀请，等待对方接受。"),
            {"broker_id": post.get("broker_id") or 0},
        ),
        "broker_accept": (
            services.answer_broker_invitation,
            _("已接受邀请，贵机构作为中介方参与本次洽谈。"),
            {"accept": True},
        ),
        "broker_decline": (
            services.answer_broker_invitation,
            _("已谢绝邀请。"),
            {"accept": False, "reason": post.get("reason", "")},
        ),
        "broker_withdraw": (
            services.withdraw_broker_invitation,
            _("已撤回中介邀请，可另行邀请。"),
            {"reason": post.get("reason", "")},
        ),
        "close": (services.close_negotiation, _("洽谈已结束。"), {"reason": post.get("reason", "")}),
    }
    if action == "offer":
        return _make_offer(request, negotiation)
    if action not in actions:
        raise Http404
    service, success, extra = actions[action]
    _run(request, service, success, negotiation_id=negotiation.pk, **extra)
    return redirect("market:negotiation_detail", pk=negotiation.pk)


def _make_offer(request, negotiation):
    """The amount goes through the one parser (core.money, "50万" is 500000 yuan); a refusal re-shows
    the form with what was typed and the error beside its field."""
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            services.make_offer(
                actor=request.user,
                negotiation_id=negotiation.pk,
                now=clock.now(),
                amount=form.cleaned_data["amount"],
                mode=form.cleaned_data["mode"],
                terms=form.cleaned_data["terms"],
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("报价已发出。"))
            return redirect("market:negotiation_detail", pk=negotiation.pk)
    return _negotiation_page(request, negotiation, offer_form=form, status=400)


# --- Deals and oversight -----------------------------------------------------------------------


@login_required
def deal_detail(request, pk):
    deal = selectors.deal_for(request.user, pk)
    contract = None
    if deal.contract_id:
        from zhouqiao.contracts.models import Contract

        # Only a contract the user may see is linked (the parties see their contracts).
        contract = Contract.objects.visible_to(request.user).filter(pk=deal.contract_id).first()
    return render(
        request,
        "market/deal_detail.html",
        {
            "deal": deal,
            "contract": contract,
            "is_seller": scope.is_member(request.user, deal.seller),
        },
    )


@login_required
@require_POST
def deal_contract(request, pk):
    deal = selectors.deal_for(request.user, pk)
    _run(request, services.draft_contract, _("已生成技术合同草稿。"), deal_id=deal.pk)
    return redirect("market:deal_detail", pk=deal.pk)


@login_required
def oversight(request):
    if not scope.is_business_staff(request.user):
        raise DjangoPermissionDenied
    data = selectors.oversight(request.user)
    return render(
        request,
        "market/oversight.html",
        {
            "listings": data["listings"][:100],
            "auctions": data["auctions"][:100],
            "deals": data["deals"][:100],
            "scheduled": AuctionStatus.SCHEDULED,
        },
    )
